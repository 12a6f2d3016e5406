"""Settings shared by every profile (dev, test, prod).

Everything comes from the environment (12-factor). Each variable read here is listed in
docs/operations.md with its default and meaning; `tests/core/test_deploy_files.py` checks
that the deployment files set no variable this module does not read.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from apps.core.conf import assemble, env, hokwe_apps

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# --- The Hokwe business modules, lowest layer first (see docs/architecture.md). ----------
# Every package under apps/ with an apps.py, ordered by the app-layers contract of
# .importlinter. The URL map, the GraphQL root schema, event handlers, tasks, demo data and
# each module's own settings (apps/<m>/conf.py, assembled at the end of this file) follow
# this list, so a new module edits nothing here.
HOKWE_APPS = hokwe_apps(BASE_DIR)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_prometheus",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "graphene_django",
    "django_celery_beat",
    "phonenumber_field",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # identity: recovery codes of the second factor (issue 16)
    *HOKWE_APPS,
]

MIDDLEWARE = [
    "apps.core.middleware.HealthProbeMiddleware",
    "apps.core.gateway.TrustedProxyMiddleware",  # REMOTE_ADDR = the client behind the gateway
    "apps.core.hosts.HostRouterMiddleware",  # a product host's root -> its prefix (HOKWE_HOSTS)
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "apps.core.middleware.RequestIdMiddleware",
    "apps.core.gateway.SecurityHeadersMiddleware",  # CSP, frame-ancestors (docs/security.md)
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "apps.core.middleware.EarlyResponseMiddleware",  # the modules' EARLY_RESPONDERS (cms: cached pages)
    "apps.core.middleware.BodySizeLimitMiddleware",
    "apps.core.gateway.BodyLimitViewMiddleware",  # @body_limit per endpoint
    "apps.core.gateway.DeprecationMiddleware",  # Deprecation / Sunset / Link
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "apps.identity.middleware.IdentityMiddleware",
    "apps.identity.middleware.PreferredLanguageMiddleware",  # pages in the user's language
    "apps.core.gateway.ThrottleMiddleware",  # rate limits for /graphql and pages
    "apps.core.audit.AuditContextMiddleware",  # who/where for the audit log
    "apps.core.middleware.StrictBodyMiddleware",  # parse_error / unexpected_body on REST writes
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "hokwe.urls"
WSGI_APPLICATION = "hokwe.wsgi.application"
ASGI_APPLICATION = "hokwe.asgi.application"

SECRET_KEY = env("SECRET_KEY", default="dev-insecure-secret-key-change-me")
JWT_SIGNING_KEY = env("JWT_SIGNING_KEY", default=SECRET_KEY)  # HS256 key of the built-in issuer (identity)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.hokwe",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"].get("ENGINE") == "django.db.backends.sqlite3":
    # The embedded default serves concurrent requests too (threads of the dev server, an
    # app double-tapping « j'ai payé »): WAL lets readers run beside the one writer; every
    # transaction begins IMMEDIATE, taking the write lock up front, so two transactions
    # never deadlock upgrading a read lock (which SQLite answers at once with « database is
    # locked », whatever the timeout); and a writer that finds the lock taken waits up to
    # 20 s. tests/core/test_sqlite_concurrency.py proves it with real threads.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
# Behind PgBouncer in transaction mode (DB_POOLER=pgbouncer; docs/operations.md, "Connection
# pooling and read replicas"): a server connection serves one transaction, then another
# client's. Django's chunked `.iterator()` would open a named cursor that must outlive its
# transaction: they are turned off. The ledger's statements, which psycopg prepares
# (protocol-level; the ORM prepares nothing), need PgBouncer >= 1.21 with
# max_prepared_statements > 0 (deploy/), or DB_PREPARED_STATEMENTS=false below.
DB_POOLER = env("DB_POOLER", default="").strip().lower()
if DB_POOLER not in ("", "pgbouncer"):
    raise ImproperlyConfigured(f"DB_POOLER must be empty or pgbouncer, not {DB_POOLER!r}")
if DB_POOLER == "pgbouncer":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# A pooler that does not track prepared statements (PgBouncer < 1.21, some managed poolers):
# DB_PREPARED_STATEMENTS=false, and psycopg prepares nothing (the ledger's statements are then
# planned on every call, like the ORM's).
if not env.bool("DB_PREPARED_STATEMENTS", default=True) and DATABASES["default"]["ENGINE"].endswith(
    "postgresql"
):
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
# A read replica for reports and analytics (DATABASE_REPLICA_URL): only the reads a view or
# task opts into with `apps.core.dbrouter.replica_reads` go there, never inside a
# transaction on the primary, never a write (apps/core/dbrouter.py).
DATABASE_REPLICA_ALIAS = "replica"
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES[DATABASE_REPLICA_ALIAS] = {
        **env.db("DATABASE_REPLICA_URL"),
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "DISABLE_SERVER_SIDE_CURSORS": DB_POOLER == "pgbouncer",
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["apps.core.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (Redis in test/prod; local memory in dev) --------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="hokwe"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "identity.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "manager:login"
LOGIN_REDIRECT_URL = "manager:home"
LOGOUT_REDIRECT_URL = "manager:login"

PHONENUMBER_DEFAULT_REGION = env("PHONENUMBER_DEFAULT_REGION", default="BJ")
PHONENUMBER_DB_FORMAT = "E164"

# --- Identity: phone codes, tokens, step-up, OIDC (docs/identity.md) ----------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "apps.identity.backends.OidcBackend",  # inactive unless OIDC_ISSUER is set
]

# --- Languages and time -------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True  # stored in UTC
TIME_ZONE = env("TIME_ZONE", default="Africa/Porto-Novo")  # displayed in local time

# --- Static and media files (apps/core/media.py; docs/operations.md, "CDN and private media")
# CDN_URL (e.g. https://cdn.hokwe.com): pages link static files there; the CDN's origin is this
# app's /static/ (hashed names, a year's Cache-Control in prod). Empty: the app serves them.
CDN_URL = env("CDN_URL", default="").rstrip("/")
STATIC_URL = f"{CDN_URL}/static/" if CDN_URL else "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Private files only through short-lived signed URLs (apps.core.media.private_url): CloudFront
# signed URLs when the three CLOUDFRONT_* are set (the key pair's id, its RSA private key as PEM
# or base64 of the PEM, the distribution's URL over the private bucket), else S3 presigned
# URLs, else (files on disk) links signed by the app.
PRIVATE_MEDIA_TTL_SECONDS = env.int("PRIVATE_MEDIA_TTL_SECONDS", default=300)
CLOUDFRONT_KEY_ID = env("CLOUDFRONT_KEY_ID", default="")
CLOUDFRONT_PRIVATE_KEY = env("CLOUDFRONT_PRIVATE_KEY", default="")
CLOUDFRONT_MEDIA_URL = env("CLOUDFRONT_MEDIA_URL", default="").rstrip("/")

# --- Request limits -----------------------------------------------------------------------
# Bodies above this size get 413 (problem details) before any view reads them.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("MAX_REQUEST_BODY_BYTES", default=2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
HOKWE_MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)

# --- E-mail and SMS (console in dev; see notifications) -----------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Hokwe <no-reply@hokwe.com>")


# --- REST API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.partners.rest.authentication.ApiKeyAuthentication",  # hk_live_…/hk_test_… keys only
        "apps.identity.rest.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.rest.problem_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [  # apps/core/throttling.py: per IP, user, organization, scope
        "apps.core.throttling.AnonThrottle",
        "apps.core.throttling.UserThrottle",
        "apps.core.throttling.OrganizationThrottle",
        "apps.core.throttling.ScopedThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="120/min"),
        "user": env("THROTTLE_USER", default="600/min"),
        # gateway (apps/core/throttling.py, apps/core/gateway.py)
        "org": env("THROTTLE_ORG", default="3000/min"),
        "auth": env("THROTTLE_AUTH", default="10/min"),  # page and admin logins, per IP
        "graphql": env("THROTTLE_GRAPHQL", default="600/min"),  # per user, or per IP
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Hokwe API",
    "DESCRIPTION": "Rental housing, rent payments and the Hokwe wallet. Errors are RFC 9457 "
    "problem details; amounts are integers in the currency's minor unit.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},  # each module adds its OPENAPI_ENUMS (apps/<m>/conf.py)
    "PREPROCESSING_HOOKS": ["apps.core.openapi.api_paths_only"],  # not Wagtail's editor API
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.core.openapi.local_time_fields",  # DRF times have no offset (schemathesis finding)
        "apps.core.openapi.rate_limits",  # x-ratelimit on every throttled operation
        "apps.core.openapi.problems_and_headers",  # 4xx/5xx problem details, common headers
    ],
}

GRAPHENE = {
    "SCHEMA": "hokwe.schema.schema",
    # Each mutation is its own transaction (HokweMutation); the request is not wrapped, so a
    # mutation that calls a provider can commit first (docs/architecture.md).
    "ATOMIC_MUTATIONS": False,
}

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {}  # each module adds its TASK_ROUTES (apps/<m>/conf.py)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
# Static schedules: the platform's here, each module's BEAT_SCHEDULE in apps/<m>/conf.py;
# staff add or change others in the admin (django-celery-beat).
CELERY_BEAT_SCHEDULE = {
    "core.outbox_sweep": {"task": "core.outbox_sweep", "schedule": 60.0},
    "core.purge_idempotency_records": {"task": "core.purge_idempotency_records", "schedule": 3600.0},
}

# --- Outbox -------------------------------------------------------------------------------
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_SWEEP_AFTER_SECONDS = env.int("OUTBOX_SWEEP_AFTER_SECONDS", default=30)

# --- Metrics ------------------------------------------------------------------------------
# /metrics is served to these networks only (and to a bearer token when set).
METRICS_ALLOWED_CIDRS = env.list("METRICS_ALLOWED_CIDRS", default=["127.0.0.0/8", "::1/128"])
METRICS_TOKEN = env("METRICS_TOKEN", default="")

# --- Logging (structlog, JSON lines) ------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOG_FORMAT = env("LOG_FORMAT", default="json")  # json | console
LOGGING_CONFIG = None  # configured by apps.core.logging.configure() below

# --- Security defaults shared by all profiles ---------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Gateway duties in the app (issue 9; docs/security.md) ---------------------------------
HOKWE_THROTTLING_ENABLED = env.bool("THROTTLING_ENABLED", default=True)
# Proxies whose X-Forwarded-For is believed (nginx, the ingress); empty = REMOTE_ADDR as is.
TRUSTED_PROXY_CIDRS = env.list("TRUSTED_PROXY_CIDRS", default=[])
# Rate limits for what DRF does not see: (path regex, methods, scope, key "client"|"ip").
HOKWE_THROTTLE_RULES = [
    (r"^/graphql$", ("GET", "POST"), "graphql", "client"),
    (r"^/(manager|admin)/login/", ("POST",), "auth", "ip"),
]  # modules add their THROTTLE_RULES (apps/<m>/conf.py)
# CORS: only the configured origins (the apps' web views, the checkout widget's hosts).
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/(api/|graphql$)"
CORS_ALLOW_CREDENTIALS = False  # bearer tokens cross-origin, never cookies
CORS_ALLOW_HEADERS = (
    "accept",
    "accept-language",
    "authorization",
    "content-type",
    "idempotency-key",
    "x-request-id",
)
CORS_EXPOSE_HEADERS = ["Retry-After", "X-Request-ID", "Idempotent-Replayed", "Deprecation", "Sunset", "Link"]
CORS_PREFLIGHT_MAX_AGE = 3600
# Content-Security-Policy for pages (a nonce per request: `nonce="{{ request.csp_nonce }}"`).
CSP_SCRIPT_SRC = env.list("CSP_SCRIPT_SRC", default=[])  # e.g. a payment provider's widget host
CSP_STYLE_SRC = env.list("CSP_STYLE_SRC", default=[])
CSP_IMG_SRC = env.list("CSP_IMG_SRC", default=[])
CSP_CONNECT_SRC = env.list("CSP_CONNECT_SRC", default=[])
CSP_FRAME_SRC = env.list("CSP_FRAME_SRC", default=[])
CSP_FORM_ACTION = env.list("CSP_FORM_ACTION", default=[])
CSP_REPORT_URI = env("CSP_REPORT_URI", default="")
CSP_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)
# Only these hosts may frame the checkout pages; everything else is frame-ancestors 'none'.
CHECKOUT_EMBED_ORIGINS = env.list("CHECKOUT_EMBED_ORIGINS", default=[])
HOKWE_EMBEDDABLE_PATHS = [r"^/checkout/"]
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(self), usb=()"
# Deprecated API versions: {"v1": {"deprecation": "2027-01-01", "sunset": "2027-07-01", "link": url}}
HOKWE_API_DEPRECATIONS = env.json("API_DEPRECATIONS", default={})

# --- GraphQL protection (apps/core/graphql/protection.py) ----------------------------------
GRAPHQL_MAX_DEPTH = env.int("GRAPHQL_MAX_DEPTH", default=12)
# The standard introspection query is 15 deep (its `ofType` chain): introspection has its own.
GRAPHQL_MAX_INTROSPECTION_DEPTH = env.int("GRAPHQL_MAX_INTROSPECTION_DEPTH", default=16)
GRAPHQL_MAX_COST = env.int("GRAPHQL_MAX_COST", default=5000)
GRAPHQL_MAX_LIST_SIZE = env.int("GRAPHQL_MAX_LIST_SIZE", default=200)
GRAPHQL_DEFAULT_LIST_SIZE = env.int("GRAPHQL_DEFAULT_LIST_SIZE", default=20)
GRAPHQL_MAX_QUERY_CHARS = env.int("GRAPHQL_MAX_QUERY_CHARS", default=20000)
GRAPHQL_INTROSPECTION = env.bool("GRAPHQL_INTROSPECTION", default=True)  # prod: off
# GraphiQL on a browser's GET of /graphql (local npm assets, same CSP as every page); dev: on.
GRAPHIQL_ENABLED = env.bool("GRAPHIQL_ENABLED", default=False)
GRAPHQL_PERSISTED_QUERIES = env("GRAPHQL_PERSISTED_QUERIES", default="allow")  # off | allow | only
GRAPHQL_PERSISTED_QUERIES_FILE = env("GRAPHQL_PERSISTED_QUERIES_FILE", default="")

# --- Observability (apps/core/tracing.py, apps/core/sentry.py; docs/operations.md) --------
OTEL_ENABLED = env.bool("OTEL_ENABLED", default=False)  # plus the standard OTEL_* variables
SENTRY_DSN = env("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
# Celery workers expose their task metrics on this port (0 = off), e.g. 9808.
CELERY_METRICS_PORT = env.int("CELERY_METRICS_PORT", default=0)
# Celery queues whose backlog /metrics reports (hokwe_celery_queue_length).
HOKWE_MONITORED_QUEUES = ["default"]  # modules add their MONITORED_QUEUES
HOKWE_EARLY_RESPONDERS: list = []  # modules add their EARLY_RESPONDERS (core.middleware)

HOKWE_ENVIRONMENT = "base"
HOKWE_VERSION = env("HOKWE_VERSION", default="0.1.0")

# --- Stored files: encryption at rest (apps/core/crypto.py; docs/operations.md) ---------------
# Master keys wrapping the per-file data keys (KYC documents, the cms vault): "id:base64(32
# bytes)", comma-separated; the first encrypts, all decrypt. KYC_MASTER_KEYS, the variable's
# name when only KYC used it, is still read when HOKWE_MASTER_KEYS is not set. The default is
# a PUBLIC DEV KEY: prod settings refuse it (and any key id starting with "dev").
# New key: manage.py kyc_rotate_keys --new-key ID
HOKWE_MASTER_KEYS = env(
    "HOKWE_MASTER_KEYS",
    default=env("KYC_MASTER_KEYS", default="dev-insecure:ZGV2LW9ubHkta3ljLW1hc3Rlci1rZXktMzItYnl0ZSE="),
)
# Antivirus (apps/core/antivirus.py; docs/operations.md, "Antivirus (ClamAV)"): where clamd
# listens, "tcp://127.0.0.1:3310" or "unix:///run/clamav/clamd.ctl". Empty: no scanner, uploads
# are accepted and marked unscanned (dev, the embedded default); prod refuses an empty one.
CLAMD_URL = env("CLAMD_URL", default="")
CLAMD_CONNECT_TIMEOUT_SECONDS = env.float("CLAMD_CONNECT_TIMEOUT_SECONDS", default=3.0)
CLAMD_TIMEOUT_SECONDS = env.float("CLAMD_TIMEOUT_SECONDS", default=60.0)  # a whole scan's reads and writes
# Files above this are refused before sending; keep it at most clamd's StreamMaxLength.
CLAMD_MAX_BYTES = env.int("CLAMD_MAX_BYTES", default=25 * 1024 * 1024)

# --- Public host names (apps/core/hosts.py; docs/operations.md, "Hosts") -------------------
# Host -> the URL prefix of its product; each module adds its own (HOSTS in its conf.py). The
# web shell (/manager/) is the platform's. The sites (hokwe.co, hokwe.com, pay.hokwe.com) are
# not here: Wagtail matches them by host name. Extra names (staging): HOST_ALIASES, e.g.
# "manager.staging.hokwe.com=manager.hokwe.com" (add them to ALLOWED_HOSTS too).
HOKWE_HOSTS: dict = {"manager.hokwe.com": "/manager/"}
HOKWE_HOST_ALIASES = env.dict("HOST_ALIASES", default={})

# --- Each module's own settings (apps/<m>/conf.py; apps/core/conf.py says how) ------------
assemble(vars(), HOKWE_APPS)
HOKWE_MONITORED_QUEUES = env.list("MONITORED_QUEUES", default=HOKWE_MONITORED_QUEUES)
