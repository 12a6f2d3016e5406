"""Test profile: real PostgreSQL and Redis, required.

The README's test command starts throwaway servers and exports DATABASE_URL and REDIS_URL.
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import env

HOKWE_ENVIRONMENT = "test"

for _name in ("DATABASE_URL", "REDIS_URL"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(
            f"The test profile needs {_name}: run the README's test command "
            "(scripts/test.sh), which starts PostgreSQL and Redis."
        )

# Each xdist worker gets its own Redis database, so cache and broker state never leak.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
# Counted from the URL's own database (0 from scripts/services.sh): several suites sharing one
# Redis with different base databases never flush each other's cache.
_base_db = int(urlsplit(env("REDIS_URL")).path.strip("/") or 0)
_redis_db = _base_db + 1 + (int(_worker) % (15 if _base_db == 0 else 3) if _worker.isdigit() else 0)
REDIS_URL = urlsplit(env("REDIS_URL"))._replace(path=f"/{_redis_db}").geturl()
CACHES["default"]["LOCATION"] = REDIS_URL
CACHES["default"]["KEY_PREFIX"] = f"hokwe-test-{_worker}"
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
# Unit tests run tasks in-process; the Celery integration tests start a real worker on
# the real Redis broker with eager mode switched off.
CELERY_TASK_ALWAYS_EAGER = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing in tests
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEBUG = False
LOG_LEVEL = env("LOG_LEVEL", default="WARNING")

from apps.core.logging import configure_logging  # noqa: E402

configure_logging(level=LOG_LEVEL, fmt="json")
