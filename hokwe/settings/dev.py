"""Embedded default: no environment needed.

SQLite, local-memory cache, Celery tasks run in-process, files on local disk, console
e-mail and SMS, and the clearly labelled sandbox payment provider.
"""

from .base import *
from .base import BASE_DIR, env

HOKWE_ENVIRONMENT = "dev"
DEBUG = env.bool("DEBUG", default=True)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
LOG_FORMAT = env("LOG_FORMAT", default="console")
(BASE_DIR / "var").mkdir(exist_ok=True)

from apps.core.logging import configure_logging  # noqa: E402

configure_logging(level=LOG_LEVEL, fmt=LOG_FORMAT)

GRAPHIQL_ENABLED = env.bool("GRAPHIQL_ENABLED", default=True)
