"""Settings shared by every profile (dev, test, prod).

Everything comes from the environment (12-factor). Each variable read here is listed in
docs/operations.md with its default and meaning; `tests/core/test_deploy_files.py` checks
that the deployment files set no variable this module does not read.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# --- The Hokwe business modules, lowest layer first (see docs/architecture.md). ----------
# The URL map, the GraphQL root schema, event handlers and demo data are assembled from
# this list, so a new module is wired in by adding it here.
HOKWE_APPS = [
    "apps.core",
    "apps.identity",
    "apps.kyc",
    "apps.ledger",
    "apps.notifications",
    "apps.payments",
    "apps.estate",
    "apps.recovery",
]

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
    *HOKWE_APPS,
]

MIDDLEWARE = [
    "apps.core.middleware.HealthProbeMiddleware",
    "apps.core.gateway.TrustedProxyMiddleware",  # REMOTE_ADDR = the client behind the gateway
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "apps.core.middleware.RequestIdMiddleware",
    "apps.core.gateway.SecurityHeadersMiddleware",  # CSP, frame-ancestors (docs/security.md)
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
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
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "hokwe.urls"
WSGI_APPLICATION = "hokwe.wsgi.application"
ASGI_APPLICATION = "hokwe.asgi.application"

SECRET_KEY = env("SECRET_KEY", default="dev-insecure-secret-key-change-me")
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
JWT_SIGNING_KEY = env("JWT_SIGNING_KEY", default=SECRET_KEY)  # HS256 key of the built-in issuer
JWT_ISSUER = env("JWT_ISSUER", default="hokwe")
JWT_AUDIENCE = env("JWT_AUDIENCE", default="hokwe-api")
JWT_ACCESS_TTL_SECONDS = env.int("JWT_ACCESS_TTL_SECONDS", default=15 * 60)
REFRESH_TOKEN_TTL_DAYS = env.int("REFRESH_TOKEN_TTL_DAYS", default=30)
OTP_TTL_SECONDS = env.int("OTP_TTL_SECONDS", default=5 * 60)
OTP_MAX_ATTEMPTS = env.int("OTP_MAX_ATTEMPTS", default=5)
OTP_LOCK_SECONDS = env.int("OTP_LOCK_SECONDS", default=15 * 60)
OTP_RESEND_COOLDOWN_SECONDS = env.int("OTP_RESEND_COOLDOWN_SECONDS", default=60)
OTP_MAX_SENDS_PER_PHONE_PER_HOUR = env.int("OTP_MAX_SENDS_PER_PHONE_PER_HOUR", default=5)
OTP_MAX_SENDS_PER_IP_PER_HOUR = env.int("OTP_MAX_SENDS_PER_IP_PER_HOUR", default=30)
STEP_UP_TTL_SECONDS = env.int("STEP_UP_TTL_SECONDS", default=5 * 60)
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=7)
OTP_TOTP_ISSUER = "Hokwe"  # staff TOTP (django-otp) for the admin
# Keycloak / OIDC: on when OIDC_ISSUER is set (e.g. https://sso.hokwe.com/realms/hokwe).
OIDC_ISSUER = env("OIDC_ISSUER", default="").rstrip("/")
_OIDC_BASE = f"{OIDC_ISSUER}/protocol/openid-connect" if OIDC_ISSUER else ""
OIDC_AUDIENCE = env("OIDC_AUDIENCE", default="hokwe-api")
OIDC_JWKS_URI = env("OIDC_JWKS_URI", default=f"{_OIDC_BASE}/certs" if OIDC_ISSUER else "")
OIDC_JWKS_CACHE_SECONDS = env.int("OIDC_JWKS_CACHE_SECONDS", default=3600)
OIDC_JWKS_MIN_REFRESH_SECONDS = env.int("OIDC_JWKS_MIN_REFRESH_SECONDS", default=30)
OIDC_LEEWAY_SECONDS = env.int("OIDC_LEEWAY_SECONDS", default=0)
OIDC_HTTP_TIMEOUT_SECONDS = env.float("OIDC_HTTP_TIMEOUT_SECONDS", default=5.0)
OIDC_STAFF_ROLE_PREFIX = env("OIDC_STAFF_ROLE_PREFIX", default="hokwe-staff-")
# mozilla-django-oidc (web login, authorization code + PKCE, confidential client)
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="hokwe-web")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default=f"{_OIDC_BASE}/auth")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default=f"{_OIDC_BASE}/token")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default=f"{_OIDC_BASE}/userinfo")
OIDC_OP_JWKS_ENDPOINT = OIDC_JWKS_URI
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid profile phone")
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "manager:oidc_authentication_callback"
OIDC_TIMEOUT = OIDC_HTTP_TIMEOUT_SECONDS

# --- Languages and time -------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True  # stored in UTC
TIME_ZONE = env("TIME_ZONE", default="Africa/Porto-Novo")  # displayed in local time

# --- Static and media files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Request limits -----------------------------------------------------------------------
# Bodies above this size get 413 (problem details) before any view reads them.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("MAX_REQUEST_BODY_BYTES", default=2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
HOKWE_MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)

# --- E-mail and SMS (console in dev; see notifications) -----------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Hokwe <no-reply@hokwe.com>")
SMS_BACKEND = env("SMS_BACKEND", default="console")
# --- Notifications (docs/notifications.md lists every variable) ---------------------------
# SMS_BACKEND is the default failover chain ("africastalking,twilio": A, then B on error or
# timeout); SMS_ROUTES picks a chain by country prefix ("+229:orange,africastalking;+225:orange").
# "console" prints each SMS (the dev outbox); "file" only writes SMS_CONSOLE_FILE.
SMS_PROVIDER_CHAIN = [name.strip() for name in SMS_BACKEND.split(",") if name.strip()]
SMS_ROUTES = env("SMS_ROUTES", default="")
SMS_TIMEOUT_SECONDS = env.float("SMS_TIMEOUT_SECONDS", default=10.0)
SMS_PROVIDER_TRIES = env.int("SMS_PROVIDER_TRIES", default=2)  # per provider, before failover
SMS_CONSOLE_FILE = env("SMS_CONSOLE_FILE", default="")
AFRICASTALKING_BASE_URL = env("AFRICASTALKING_BASE_URL", default="https://api.africastalking.com")
AFRICASTALKING_USERNAME = env("AFRICASTALKING_USERNAME", default="")
AFRICASTALKING_API_KEY = env("AFRICASTALKING_API_KEY", default="")
AFRICASTALKING_SENDER_ID = env("AFRICASTALKING_SENDER_ID", default="")
AFRICASTALKING_CALLBACK_TOKEN = env("AFRICASTALKING_CALLBACK_TOKEN", default="")
TWILIO_BASE_URL = env("TWILIO_BASE_URL", default="https://api.twilio.com")
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM = env("TWILIO_FROM", default="")  # a number, or a Messaging Service SID (MG…)
ORANGE_SMS_BASE_URL = env("ORANGE_SMS_BASE_URL", default="https://api.orange.com")
ORANGE_SMS_CLIENT_ID = env("ORANGE_SMS_CLIENT_ID", default="")
ORANGE_SMS_CLIENT_SECRET = env("ORANGE_SMS_CLIENT_SECRET", default="")
ORANGE_SMS_SENDER = env("ORANGE_SMS_SENDER", default="")  # the sender number, +225…
ORANGE_SMS_SENDER_NAME = env("ORANGE_SMS_SENDER_NAME", default="")
ORANGE_SMS_CALLBACK_TOKEN = env("ORANGE_SMS_CALLBACK_TOKEN", default="")
PUSH_BACKEND = env("PUSH_BACKEND", default="console")  # console | fcm | none (no push)
FCM_BASE_URL = env("FCM_BASE_URL", default="https://fcm.googleapis.com")
FCM_PROJECT_ID = env("FCM_PROJECT_ID", default="")
FCM_SERVICE_ACCOUNT_FILE = env("FCM_SERVICE_ACCOUNT_FILE", default="")
FCM_SERVICE_ACCOUNT_JSON = env("FCM_SERVICE_ACCOUNT_JSON", default="")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
NOTIFICATIONS_PUBLIC_BASE_URL = env("NOTIFICATIONS_PUBLIC_BASE_URL", default="")  # callback URLs
NOTIFICATIONS_QUIET_HOURS = env("NOTIFICATIONS_QUIET_HOURS", default="21:00-07:00")  # or "off"
NOTIFICATIONS_RETRY_BASE_SECONDS = env.float("NOTIFICATIONS_RETRY_BASE_SECONDS", default=5.0)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.float("NOTIFICATIONS_RETRY_MAX_SECONDS", default=900.0)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=40)
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=500)
NOTIFICATIONS_RELEASE_GRACE_SECONDS = env.int("NOTIFICATIONS_RELEASE_GRACE_SECONDS", default=60)
NOTIFICATIONS_STUCK_AFTER_SECONDS = env.int("NOTIFICATIONS_STUCK_AFTER_SECONDS", default=600)
NOTIFICATIONS_OTP_TTL_SECONDS = env.int("NOTIFICATIONS_OTP_TTL_SECONDS", default=600)  # unsent code: dropped
NOTIFICATIONS_SEALED_TTL_SECONDS = env.int("NOTIFICATIONS_SEALED_TTL_SECONDS", default=8 * 24 * 3600)

# --- Payments (docs/payments.md lists every variable) ---------------------------------------
PAYMENT_PROVIDERS = env.list("PAYMENT_PROVIDERS", default=["sandbox"])
# Routing: "method:country=provider;…" (country * = any). Unrouted methods use the first
# online provider of PAYMENT_PROVIDERS. Organizations override it in the admin.
PAYMENT_ROUTES = env("PAYMENT_ROUTES", default="")
PAYMENT_PAYOUT_PROVIDER = env("PAYMENT_PAYOUT_PROVIDER", default="sandbox")
PAYMENT_INTENT_TTL_HOURS = env.int("PAYMENT_INTENT_TTL_HOURS", default=72)
PAYMENT_FEE_BASIS_POINTS = env.int("PAYMENT_FEE_BASIS_POINTS", default=0)  # default fee rule
PAYMENT_FEE_FIXED = env.int("PAYMENT_FEE_FIXED", default=0)  # minor units
PAYMENT_HTTP_TIMEOUT_SECONDS = env.float("PAYMENT_HTTP_TIMEOUT_SECONDS", default=10.0)
PAYMENT_STALE_PENDING_MINUTES = env.int("PAYMENT_STALE_PENDING_MINUTES", default=30)
PAYMENT_PUBLIC_BASE_URL = env("PAYMENT_PUBLIC_BASE_URL", default="")  # pay links in SMS
PAYMENT_CONFIG_KEY = env("PAYMENT_CONFIG_KEY", default="")  # encrypts provider keys stored in the DB
PAYOUT_MIN_AMOUNT = env.int("PAYOUT_MIN_AMOUNT", default=5000)  # scheduled payouts, minor units
# live: https://api.kkiapay.me
KKIAPAY_BASE_URL = env("KKIAPAY_BASE_URL", default="https://api-sandbox.kkiapay.me")
KKIAPAY_SANDBOX = env.bool("KKIAPAY_SANDBOX", default=True)  # the widget's sandbox flag
KKIAPAY_PUBLIC_KEY = env("KKIAPAY_PUBLIC_KEY", default="")
KKIAPAY_PRIVATE_KEY = env("KKIAPAY_PRIVATE_KEY", default="")
KKIAPAY_SECRET_KEY = env("KKIAPAY_SECRET_KEY", default="")
KKIAPAY_WEBHOOK_SECRET = env("KKIAPAY_WEBHOOK_SECRET", default="")
KKIAPAY_WIDGET_URL = env("KKIAPAY_WIDGET_URL", default="https://cdn.kkiapay.me/k.js")
# live: https://live-api.fedapay.com/v1
FEDAPAY_BASE_URL = env("FEDAPAY_BASE_URL", default="https://sandbox-api.fedapay.com/v1")
FEDAPAY_SECRET_KEY = env("FEDAPAY_SECRET_KEY", default="")
FEDAPAY_WEBHOOK_SECRET = env("FEDAPAY_WEBHOOK_SECRET", default="")
FEDAPAY_WEBHOOK_TOLERANCE_SECONDS = env.int("FEDAPAY_WEBHOOK_TOLERANCE_SECONDS", default=300)

# --- KYC and business verification (docs/kyc.md lists every variable) -----------------------
# Master keys wrapping the per-file data keys: "id:base64(32 bytes)", comma-separated; the
# first encrypts, all decrypt. The default below is a PUBLIC DEV KEY: prod settings refuse it
# (and any key id starting with "dev"). New key: manage.py kyc_rotate_keys --new-key ID
KYC_MASTER_KEYS = env("KYC_MASTER_KEYS", default="dev-insecure:ZGV2LW9ubHkta3ljLW1hc3Rlci1rZXktMzItYnl0ZSE=")
KYC_PROVIDER = env("KYC_PROVIDER", default="manual")  # manual | smile_id | onfido
KYC_STORAGE_ALIAS = env("KYC_STORAGE_ALIAS", default="default")  # a key of STORAGES
KYC_MAX_UPLOAD_BYTES = env.int("KYC_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
KYC_MAX_IMAGE_PIXELS = env.int("KYC_MAX_IMAGE_PIXELS", default=40_000_000)  # decompression-bomb guard
KYC_IMAGE_MAX_SIDE = env.int("KYC_IMAGE_MAX_SIDE", default=3000)  # re-encoded images are scaled down to this
KYC_SIGNED_URL_TTL_SECONDS = env.int("KYC_SIGNED_URL_TTL_SECONDS", default=300)
KYC_RETENTION_DAYS = env.int("KYC_RETENTION_DAYS", default=3650)  # after account closure (AML: 10 years)
KYC_DEFAULT_COUNTRY = env("KYC_DEFAULT_COUNTRY", default="BJ")  # when a phone number has no region
KYC_HTTP_TIMEOUT_SECONDS = env.float("KYC_HTTP_TIMEOUT_SECONDS", default=15.0)
KYC_CALLBACK_TOLERANCE_SECONDS = env.int("KYC_CALLBACK_TOLERANCE_SECONDS", default=3600)
# Limits per country ("*" = any) and tier, in minor units; compliance staff override them in
# the admin (TierLimit). BCEAO instruction n°008-05-2015 art. 31: an identified client holds
# at most 2 000 000 FCFA and reloads at most 10 000 000 FCFA a month (tier 2 below); tiers 0
# and 1 are Hokwe's own, lower, risk-based limits.
KYC_LIMITS = env.json(
    "KYC_LIMITS",
    default={
        "*": {
            "currency": "XOF",
            "0": {
                "max_balance": 200_000,
                "monthly_inflow": 500_000,
                "single_transaction": 100_000,
                "daily_outflow": 100_000,
            },
            "1": {
                "max_balance": 1_000_000,
                "monthly_inflow": 5_000_000,
                "single_transaction": 500_000,
                "daily_outflow": 500_000,
            },
            "2": {
                "max_balance": 2_000_000,
                "monthly_inflow": 10_000_000,
                "single_transaction": 2_000_000,
                "daily_outflow": 2_000_000,
            },
        }
    },
)
# live: https://api.smileidentity.com/v1
SMILE_ID_BASE_URL = env("SMILE_ID_BASE_URL", default="https://testapi.smileidentity.com/v1")
SMILE_ID_PARTNER_ID = env("SMILE_ID_PARTNER_ID", default="")
SMILE_ID_API_KEY = env("SMILE_ID_API_KEY", default="")
SMILE_ID_CALLBACK_URL = env("SMILE_ID_CALLBACK_URL", default="")  # https://…/api/v1/kyc/callbacks/smile-id
ONFIDO_BASE_URL = env("ONFIDO_BASE_URL", default="https://api.eu.onfido.com/v3.6")  # or api.us / api.ca
ONFIDO_API_TOKEN = env("ONFIDO_API_TOKEN", default="")
ONFIDO_WEBHOOK_TOKEN = env("ONFIDO_WEBHOOK_TOKEN", default="")

# --- Estate (docs/estate.md lists every variable) -------------------------------------------
# Legal caps per country (Benin: loi 2022-30): the deposit is at most `deposit_months` months
# of rent; the agency's commission (letting fee, and the management commission per month) at
# most `agency_fee_bps` basis points of one month's rent. ESTATE_LEGAL_CAPS overrides by JSON:
# {"BJ": {"deposit_months": 3, "agency_fee_bps": 5000}, "TG": {...}}.
ESTATE_LEGAL_CAPS = {
    "BJ": {"deposit_months": 3, "agency_fee_bps": 5000},
    **env.json("ESTATE_LEGAL_CAPS", default={}),
}
ESTATE_DEFAULT_CAPS = env.json("ESTATE_DEFAULT_CAPS", default={"deposit_months": 3, "agency_fee_bps": 5000})
ESTATE_MONTH_END_BATCH_SIZE = env.int("ESTATE_MONTH_END_BATCH_SIZE", default=2000)
ESTATE_SEND_NOTICES = env.bool("ESTATE_SEND_NOTICES", default=True)  # avis d'échéance after the run
ESTATE_PUBLIC_BASE_URL = env("ESTATE_PUBLIC_BASE_URL", default="")  # QR codes and links in SMS/PDF

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
        "payments.create": env("THROTTLE_PAYMENT_CREATE", default="20/min"),  # per user, or per IP
        "pages.pay": env("THROTTLE_PAY_PAGES", default="60/min"),  # /pay/, /checkout/, /r/ per IP
        # identity: strict on phone codes and token endpoints (per IP, or per user)
        "identity.otp_request": env("THROTTLE_OTP_REQUEST", default="10/min"),
        "identity.otp_verify": env("THROTTLE_OTP_VERIFY", default="20/min"),
        "identity.token": env("THROTTLE_TOKEN", default="30/min"),
        "identity.step_up": env("THROTTLE_STEP_UP", default="10/min"),
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
    "ENUM_NAME_OVERRIDES": {
        # estate: choice sets whose field names (status, kind) other modules use too
        "EstateUnitStatusEnum": "apps.estate.contracts.UNIT_STATUS_VALUES",
        "EstateDueStatusEnum": "apps.estate.contracts.DUE_STATUS_VALUES",
        "EstateUnitKindEnum": "apps.estate.contracts.UNIT_KIND_VALUES",
        "EstateAdjustmentKindEnum": "apps.estate.contracts.ADJUSTMENT_KIND_VALUES",
        "EstateTicketStatusEnum": "apps.estate.contracts.TICKET_STATUSES",
        "EstateDeductionKindEnum": "apps.estate.contracts.DEDUCTION_KINDS",
        # recovery: same reason (status, kind, outcome, action)
        "RecoveryCaseStatusFilterEnum": "apps.recovery.rest.serializers.CASE_STATUS_FILTER",
        "RecoveryLegalStatusEnum": "apps.recovery.rest.serializers.LEGAL_STATUSES",
        "RecoveryLegalKindEnum": "apps.recovery.rest.serializers.LEGAL_KINDS",
        "RecoveryCallOutcomeEnum": "apps.recovery.rest.serializers.CALL_OUTCOMES",
        "RecoveryVisitOutcomeEnum": "apps.recovery.rest.serializers.VISIT_OUTCOMES",
        "RecoveryCloseOutcomeEnum": "apps.recovery.rest.serializers.CLOSE_OUTCOMES",
        "RecoveryStepActionEnum": "apps.recovery.rest.serializers.STEP_ACTIONS",
        "RecoveryAgingByEnum": "apps.recovery.rest.serializers.AGING_BY",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.core.openapi.local_time_fields",  # DRF times have no offset (schemathesis finding)
    ],
}

GRAPHENE = {
    "SCHEMA": "hokwe.schema.schema",
    "ATOMIC_MUTATIONS": True,
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
# Notifications: one queue per priority; run a worker for notifications.otp alone so a code
# never waits behind a bulk run (docs/notifications.md, "Queues").
CELERY_TASK_ROUTES = {
    "notifications.deliver_otp": {"queue": "notifications.otp"},
    "notifications.deliver": {"queue": "notifications.transactional"},
    "notifications.deliver_bulk": {"queue": "notifications.bulk"},
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
# Static schedules; staff add or change others in the admin (django-celery-beat).
CELERY_BEAT_SCHEDULE = {
    "core.outbox_sweep": {"task": "core.outbox_sweep", "schedule": 60.0},
    "notifications.release_due": {"task": "notifications.release_due", "schedule": 15.0},
    "core.purge_idempotency_records": {"task": "core.purge_idempotency_records", "schedule": 3600.0},
    "ledger.expire_holds": {"task": "ledger.expire_holds", "schedule": 60.0},
    "ledger.verify": {"task": "ledger.verify", "schedule": 3600.0},
    "kyc.expire_documents": {"task": "kyc.expire_documents", "schedule": 86400.0},
    "kyc.purge_closed_accounts": {"task": "kyc.purge_closed_accounts", "schedule": 86400.0},
    "kyc.refresh_provider_checks": {"task": "kyc.refresh_provider_checks", "schedule": 900.0},
    "payments.expire_intents": {"task": "payments.expire_intents", "schedule": 300.0},
    "payments.settle_stale_pending": {"task": "payments.settle_stale_pending", "schedule": 600.0},
    "payments.reconcile_daily": {"task": "payments.reconcile_daily", "schedule": crontab(hour=2, minute=30)},
    "payments.poll_payouts": {"task": "payments.poll_payouts", "schedule": 300.0},
    "payments.scheduled_payouts": {
        "task": "payments.scheduled_payouts",
        "schedule": crontab(hour=6, minute=0),
    },
    # estate: next month's dues on the 25th (notices ~10 days ahead), statuses and late fees daily
    "estate.month_end": {
        "task": "estate.month_end",
        "schedule": crontab(day_of_month="25", hour=1, minute=0),
    },
    "estate.refresh_dues": {"task": "estate.refresh_dues", "schedule": crontab(hour=0, minute=30)},
    # recovery: hourly; each case moves one ladder step a day at most, outside quiet hours
    "recovery.daily": {"task": "recovery.daily", "schedule": crontab(minute=5)},
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
    (r"^/(pay|checkout)/", ("POST",), "payments.create", "client"),
    (r"^/(pay|checkout|r)/", ("GET", "POST"), "pages.pay", "ip"),
]
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
CSP_RELAXED_PATHS = [r"^/api/(docs|redoc)/"]  # the OpenAPI viewers' inline bootstrap scripts
# Only these hosts may frame the checkout pages; everything else is frame-ancestors 'none'.
CHECKOUT_EMBED_ORIGINS = env.list("CHECKOUT_EMBED_ORIGINS", default=[])
HOKWE_EMBEDDABLE_PATHS = [r"^/checkout/"]
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(self), usb=()"
# Deprecated API versions: {"v1": {"deprecation": "2027-01-01", "sunset": "2027-07-01", "link": url}}
HOKWE_API_DEPRECATIONS = env.json("API_DEPRECATIONS", default={})

# --- GraphQL protection (apps/core/graphql/protection.py) ----------------------------------
GRAPHQL_MAX_DEPTH = env.int("GRAPHQL_MAX_DEPTH", default=12)
GRAPHQL_MAX_COST = env.int("GRAPHQL_MAX_COST", default=5000)
GRAPHQL_MAX_LIST_SIZE = env.int("GRAPHQL_MAX_LIST_SIZE", default=200)
GRAPHQL_DEFAULT_LIST_SIZE = env.int("GRAPHQL_DEFAULT_LIST_SIZE", default=20)
GRAPHQL_MAX_QUERY_CHARS = env.int("GRAPHQL_MAX_QUERY_CHARS", default=20000)
GRAPHQL_INTROSPECTION = env.bool("GRAPHQL_INTROSPECTION", default=True)  # prod: off
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
HOKWE_MONITORED_QUEUES = env.list(
    "MONITORED_QUEUES",
    default=["default", "notifications.otp", "notifications.transactional", "notifications.bulk"],
)

HOKWE_ENVIRONMENT = "base"
HOKWE_VERSION = env("HOKWE_VERSION", default="0.1.0")
