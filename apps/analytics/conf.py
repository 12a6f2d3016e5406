"""Analytics's settings, beat entries, task routes, throttle rates and OpenAPI enum names.

Read by apps.core.conf.assemble before Django starts: no models, no Django settings here."""

from apps.core.conf import env  # noqa: F401 -- ANALYTICS_SETTING = env("ANALYTICS_SETTING", default=…)

BEAT_SCHEDULE: dict = {}
