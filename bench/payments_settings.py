"""Settings for bench/payments.py: the test profile (real PostgreSQL and Redis, passed by
the bench) with what production does differently on this path: tasks go to the Redis
broker (not run in the request), persistent database connections, DEBUG off, quiet logs,
throttles off (the bench measures the endpoints, not the limiter), and one extra bare view
as the ceiling of this stack (bench/payments_urls.py)."""

import os

os.environ.setdefault("PAYMENT_PROVIDERS", "kkiapay,sandbox")
os.environ.setdefault("KKIAPAY_WEBHOOK_SECRET", "bench-webhook-secret")
os.environ.setdefault("LOG_LEVEL", "ERROR")
os.environ.setdefault("THROTTLING_ENABLED", "false")

from hokwe.settings.test import *  # noqa: F403
from hokwe.settings.test import DATABASES

CELERY_TASK_ALWAYS_EAGER = False  # webhooks are processed by workers, never in the request
DATABASES["default"]["CONN_MAX_AGE"] = 60
ROOT_URLCONF = "bench.payments_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
