"""Production profile: refuses to start without its required settings or with dev defaults."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import CLAMD_URL, HOKWE_MASTER_KEYS, SECRET_KEY, env

HOKWE_ENVIRONMENT = "prod"
DEBUG = False

REQUIRED = [
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
]
_missing = [name for name in REQUIRED if not os.environ.get(name)]
if _missing:
    message = (
        "Hokwe prod settings refuse to start. Missing environment variables: "
        + ", ".join(_missing)
        + ". See docs/operations.md (configuration reference)."
    )
    print(message, file=sys.stderr)  # noqa: T201 -- before logging exists
    raise ImproperlyConfigured(message)

_problems = []
if SECRET_KEY.startswith("dev-") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    _problems.append("SECRET_KEY is a dev default or too weak (50+ random characters)")
if env("DATABASE_URL").startswith("sqlite"):
    _problems.append("DATABASE_URL must be PostgreSQL, not SQLite")
PUSH_BACKEND = env("PUSH_BACKEND", default="none")  # no push until FCM is configured
if EMAIL_BACKEND.endswith("console.EmailBackend"):
    _problems.append("EMAIL_URL must be a real mail server, not the console")
if "ZGV2LW9ubHkta3ljLW1hc3Rlci1rZXktMzItYnl0ZSE=" in HOKWE_MASTER_KEYS or any(
    key.split(":", 1)[0].strip().lower().startswith("dev") for key in HOKWE_MASTER_KEYS.split(",")
):
    _problems.append(
        "HOKWE_MASTER_KEYS / KYC_MASTER_KEYS must hold real master keys (ids not starting with dev), "
        "not the dev default"
    )
if not CLAMD_URL.strip():
    _problems.append(
        "CLAMD_URL must name the ClamAV daemon (tcp://clamav:3310): uploads are scanned in production"
    )
else:
    from apps.core.antivirus import parse_url

    try:
        parse_url(CLAMD_URL)
    except ImproperlyConfigured as exc:
        _problems.append(str(exc))
# Each module says what it refuses in production (apps/<m>/conf.py, production_problems).
for _check in HOKWE_PRODUCTION_CHECKS:
    _problems.extend(_check(globals()))
if env.bool("CELERY_TASK_ALWAYS_EAGER", default=False):
    _problems.append("CELERY_TASK_ALWAYS_EAGER must be off (tasks run on workers)")
# CDN and private media (apps/core/media.py): https only; CloudFront all or nothing, its key usable.
for _name in ("CDN_URL", "CLOUDFRONT_MEDIA_URL"):
    if globals()[_name] and not globals()[_name].startswith("https://"):
        _problems.append(f"{_name} must be an https:// URL")
_cloudfront = {"CLOUDFRONT_KEY_ID": CLOUDFRONT_KEY_ID, "CLOUDFRONT_PRIVATE_KEY": CLOUDFRONT_PRIVATE_KEY}
_cloudfront["CLOUDFRONT_MEDIA_URL"] = CLOUDFRONT_MEDIA_URL
if any(_cloudfront.values()) and not all(_cloudfront.values()):
    _problems.append(
        "CloudFront signed URLs need all of CLOUDFRONT_KEY_ID, CLOUDFRONT_PRIVATE_KEY and CLOUDFRONT_MEDIA_URL"
        f" (missing: {', '.join(name for name, value in _cloudfront.items() if not value)})"
    )
elif CLOUDFRONT_PRIVATE_KEY:
    from apps.core.media import load_private_key

    try:
        load_private_key(CLOUDFRONT_PRIVATE_KEY)
    except ValueError:  # binascii.Error and cryptography's errors are ValueErrors
        _problems.append("CLOUDFRONT_PRIVATE_KEY is not an RSA private key (PEM, or the PEM in base64)")
if GRAPHIQL_ENABLED:
    _problems.append("GRAPHIQL_ENABLED must be off (an in-browser IDE for developers, not for production)")
if _problems:
    message = "Hokwe prod settings refuse dev defaults: " + "; ".join(_problems) + "."
    print(message, file=sys.stderr)  # noqa: T201 -- before logging exists
    raise ImproperlyConfigured(message)

CELERY_TASK_ALWAYS_EAGER = False
# Static files from the container (whitenoise), the origin of the gateway's cache and of the
# CDN: hashed names a year, immutable; other names an hour (apps/core/media.py).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "apps.core.media.StaticFilesMiddleware",
)
WHITENOISE_MAX_AGE = env.int("STATIC_MAX_AGE_SECONDS", default=3600)
for _database in DATABASES.values():  # the primary and the replica alike
    _database["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)

# Files: S3-compatible object storage (MinIO, AWS S3, Scaleway, …), never public.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL")
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default=None)
AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default=None)
AWS_DEFAULT_ACL = None  # the bucket's own: private, with Block Public Access (docs/operations.md)
AWS_QUERYSTRING_AUTH = True
AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=300)
STORAGES = {
    "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Transport security (TLS terminates at the gateway, which sets X-Forwarded-Proto).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# GraphQL: no introspection for the public (the schema is published with the app builds).
GRAPHQL_INTROSPECTION = env.bool("GRAPHQL_INTROSPECTION", default=False)

from apps.core.logging import configure_logging  # noqa: E402

configure_logging(level=LOG_LEVEL, fmt=LOG_FORMAT)
