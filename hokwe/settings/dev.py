"""Embedded default: no environment needed.

SQLite, local-memory cache, Celery tasks run in-process, files on local disk, console
e-mail and SMS, and the clearly labelled sandbox payment provider.
"""

import os

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

# The public sites answer on their own host names too (`curl -H "Host: hokwe.com"
# http://127.0.0.1:8000/`), unless ALLOWED_HOSTS is given (cms, docs/cms.md).
if "ALLOWED_HOSTS" not in os.environ:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, *CMS_SITE_HOSTS.values()]
