"""Analytics's settings, beat entries, task routes, throttle rates and OpenAPI enum names.

Read by apps.core.conf.assemble before Django starts: no models, no Django settings here."""

from celery.schedules import crontab

from apps.core.conf import env

BEAT_SCHEDULE: dict = {}

# --- rollups (docs/analytics.md, « Rollups ») ---
# the night's snapshots (occupancy, arrears, deposits) and the drift check of yesterday
BEAT_SCHEDULE["analytics.nightly"] = {"task": "analytics.nightly", "schedule": crontab(hour=1, minute=30)}
# applied-event ids kept this many days (a later replay is stopped by the outbox's own record)
ANALYTICS_APPLIED_EVENTS_DAYS = env.int("ANALYTICS_APPLIED_EVENTS_DAYS", default=120)


# --- product analytics: the apps' events, their partitions, the export (docs/analytics.md) ---
# A batch holds at most this many events; each event's properties at most this many bytes of JSON.
ANALYTICS_EVENTS_MAX_BATCH = env.int("ANALYTICS_EVENTS_MAX_BATCH", default=500)
ANALYTICS_EVENTS_MAX_PROPERTIES_BYTES = env.int("ANALYTICS_EVENTS_MAX_PROPERTIES_BYTES", default=4096)
# An event older than this (an app offline for weeks) or further in the future is refused.
ANALYTICS_EVENTS_MAX_AGE_DAYS = env.int("ANALYTICS_EVENTS_MAX_AGE_DAYS", default=30)
ANALYTICS_EVENTS_MAX_FUTURE_SECONDS = env.int("ANALYTICS_EVENTS_MAX_FUTURE_SECONDS", default=300)
# False: only the registered names (services/product.py, EVENT_NAMES) are accepted.
ANALYTICS_EVENTS_ALLOW_UNREGISTERED = env.bool("ANALYTICS_EVENTS_ALLOW_UNREGISTERED", default=True)
# Monthly partitions kept (older ones are dropped) and created ahead.
ANALYTICS_EVENTS_RETENTION_MONTHS = env.int("ANALYTICS_EVENTS_RETENTION_MONTHS", default=13)
ANALYTICS_EVENTS_PARTITIONS_AHEAD = env.int("ANALYTICS_EVENTS_PARTITIONS_AHEAD", default=3)
# Export to a product-analytics tool: "none", "posthog" or "matomo".
ANALYTICS_EXPORT_PROVIDER = env("ANALYTICS_EXPORT_PROVIDER", default="none")
ANALYTICS_POSTHOG_URL = env("ANALYTICS_POSTHOG_URL", default="https://eu.i.posthog.com")
ANALYTICS_POSTHOG_API_KEY = env("ANALYTICS_POSTHOG_API_KEY", default="")
ANALYTICS_MATOMO_URL = env("ANALYTICS_MATOMO_URL", default="")  # https://matomo.example/matomo.php
ANALYTICS_MATOMO_SITE_ID = env.int("ANALYTICS_MATOMO_SITE_ID", default=1)
ANALYTICS_MATOMO_TOKEN = env("ANALYTICS_MATOMO_TOKEN", default="")
ANALYTICS_EXPORT_BATCH_SIZE = env.int("ANALYTICS_EXPORT_BATCH_SIZE", default=500)
ANALYTICS_EXPORT_HTTP_TIMEOUT_SECONDS = env.float("ANALYTICS_EXPORT_HTTP_TIMEOUT_SECONDS", default=10.0)
# Events received less than this long ago wait for the next run (a batch still committing).
ANALYTICS_EXPORT_SETTLE_SECONDS = env.int("ANALYTICS_EXPORT_SETTLE_SECONDS", default=30)
# A run that held the export lease longer than this (a crash) is taken over.
ANALYTICS_EXPORT_LEASE_SECONDS = env.int("ANALYTICS_EXPORT_LEASE_SECONDS", default=300)

THROTTLE_RATES: dict = globals().get("THROTTLE_RATES", {})
THROTTLE_RATES["analytics.events"] = env("THROTTLE_ANALYTICS_EVENTS", default="120/min")

BEAT_SCHEDULE["analytics.product_partitions"] = {
    "task": "analytics.product_partitions",
    "schedule": 6 * 3600.0,
}
BEAT_SCHEDULE["analytics.product_export"] = {"task": "analytics.product_export", "schedule": 60.0}

_product_previous_problems = globals().get("production_problems")


def production_problems(settings: dict) -> list[str]:
    problems = list(_product_previous_problems(settings)) if callable(_product_previous_problems) else []
    provider = (settings.get("ANALYTICS_EXPORT_PROVIDER") or "none").strip().lower()
    if provider not in ("none", "posthog", "matomo"):
        problems.append("ANALYTICS_EXPORT_PROVIDER must be none, posthog or matomo")
    elif provider == "posthog" and not settings.get("ANALYTICS_POSTHOG_API_KEY"):
        problems.append("ANALYTICS_POSTHOG_API_KEY is empty: PostHog needs the project API key")
    elif provider == "matomo" and not (
        settings.get("ANALYTICS_MATOMO_URL") and settings.get("ANALYTICS_MATOMO_TOKEN")
    ):
        problems.append("ANALYTICS_MATOMO_URL and ANALYTICS_MATOMO_TOKEN are needed to export to Matomo")
    return problems


# --- scheduled reports (docs/analytics.md, « Scheduled reports »): each morning, the periods ended ---
BEAT_SCHEDULE["analytics.scheduled_reports"] = {
    "task": "analytics.scheduled_reports",
    "schedule": crontab(hour=6, minute=15),
}
# the manager site the e-mailed reports link to
ANALYTICS_MANAGER_BASE_URL = env("ANALYTICS_MANAGER_BASE_URL", default="https://manager.hokwe.com")
