"""Partners' settings (API keys, outbound webhooks). Read by `apps.core.conf.assemble` before
Django starts (no models here)."""

import environ

env = environ.Env()

# Keys are stored as HMAC-SHA256(pepper, key); empty: derived from SECRET_KEY (dev, tests).
PARTNERS_API_KEY_PEPPER = env("PARTNERS_API_KEY_PEPPER", default="")
# "live" keys (hk_live_…) in production, "test" keys (hk_test_…) everywhere else
PARTNERS_KEY_ENVIRONMENT = env("PARTNERS_KEY_ENVIRONMENT", default="test")
# a rotated key keeps working this long beside its successor
PARTNERS_KEY_ROTATION_OVERLAP_HOURS = env.int("PARTNERS_KEY_ROTATION_OVERLAP_HOURS", default=24)
# each key's own budget (a key may be given a lower one when created)
PARTNERS_KEY_RATE_CHOICES = ("60/min", "600/min", "3000/min")
# last used at / IP are written at most this often per key
PARTNERS_KEY_TOUCH_SECONDS = env.int("PARTNERS_KEY_TOUCH_SECONDS", default=60)

# the manager pages' host, for the link in the « endpoint disabled » e-mail
PARTNERS_PUBLIC_BASE_URL = env("PARTNERS_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

PARTNERS_WEBHOOK_TIMEOUT_SECONDS = env.float("PARTNERS_WEBHOOK_TIMEOUT_SECONDS", default=10.0)
PARTNERS_WEBHOOK_REQUIRE_HTTPS = env.bool("PARTNERS_WEBHOOK_REQUIRE_HTTPS", default=False)
# an endpoint whose last N finished deliveries all failed (every attempt, over 3 days) is disabled
PARTNERS_WEBHOOK_DISABLE_AFTER = env.int("PARTNERS_WEBHOOK_DISABLE_AFTER", default=5)
# concurrent POSTs of one delivery run (the HTTP part only; database work stays on one thread)
PARTNERS_WEBHOOK_CONCURRENCY = env.int("PARTNERS_WEBHOOK_CONCURRENCY", default=8)
# a rotated endpoint secret keeps signing (a second v1) this long
PARTNERS_WEBHOOK_SECRET_OVERLAP_HOURS = env.int("PARTNERS_WEBHOOK_SECRET_OVERLAP_HOURS", default=24)

THROTTLE_RATES = {
    # the default per-key budget; the key's own rate wins when set
    "partners.api_key": env("THROTTLE_API_KEY", default="600/min"),
}

BEAT_SCHEDULE = {
    # deliveries whose next attempt is due (retries, and every delivery in eager profiles)
    "partners.deliver_due": {"task": "partners.deliver_due", "schedule": 15.0},
}


def production_problems(settings: dict) -> list[str]:
    problems = []
    if not settings.get("PARTNERS_API_KEY_PEPPER"):
        problems.append("PARTNERS_API_KEY_PEPPER is not set (API keys' hashing pepper)")
    if settings.get("PARTNERS_KEY_ENVIRONMENT") != "live":
        problems.append("PARTNERS_KEY_ENVIRONMENT must be 'live' in production")
    if not settings.get("PARTNERS_WEBHOOK_REQUIRE_HTTPS"):
        problems.append("PARTNERS_WEBHOOK_REQUIRE_HTTPS must be on in production")
    return problems
