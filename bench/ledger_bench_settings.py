"""Settings for bench/ledger.py: the real base settings on the bench's own database, with
nothing that would distort timings (no DEBUG query log, no Redis)."""

from hokwe.settings.base import *  # noqa: F403

DEBUG = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
DATABASES["default"]["CONN_MAX_AGE"] = None  # noqa: F405 - one connection per client, like pgbench
LOGGING_CONFIG = None

# Only the ledger and the modules below it: the benchmark must not depend on the rest.
HOKWE_APPS = ["apps.core", "apps.identity", "apps.ledger"]
INSTALLED_APPS = [a for a in INSTALLED_APPS if not a.startswith("apps.") or a in HOKWE_APPS]  # noqa: F405
