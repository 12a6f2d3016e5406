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
# The framework's apps (those listed before the first module), then these modules: what other
# modules register for themselves (wagtail for cms, …) stays out with them.
_first_module = next(i for i, a in enumerate(INSTALLED_APPS) if a.startswith("apps."))  # noqa: F405
INSTALLED_APPS = INSTALLED_APPS[:_first_module] + HOKWE_APPS  # noqa: F405
# no partners' API keys without the partners module
_rest = dict(REST_FRAMEWORK)  # noqa: F405
_rest["DEFAULT_AUTHENTICATION_CLASSES"] = [
    a for a in _rest["DEFAULT_AUTHENTICATION_CLASSES"] if not a.startswith("apps.partners")
]
REST_FRAMEWORK = _rest
