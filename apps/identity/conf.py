"""Identity's settings: phone codes, tokens, step-up, OIDC.

Read by `apps.core.conf.assemble` into the settings before Django starts (no models here).
docs/identity.md lists every variable."""

from apps.core.conf import env

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

THROTTLE_RATES = {
    # strict on phone codes and token endpoints (per IP, or per user)
    "identity.otp_request": env("THROTTLE_OTP_REQUEST", default="10/min"),
    "identity.otp_verify": env("THROTTLE_OTP_VERIFY", default="20/min"),
    "identity.token": env("THROTTLE_TOKEN", default="30/min"),
    "identity.step_up": env("THROTTLE_STEP_UP", default="10/min"),
}

# Second factor for money movers (issue 16): TOTP (django-otp), passkeys (WebAuthn),
# recovery codes, and the SIM-swap hold (docs/identity.md "A real second factor").
IDENTITY_SIM_SWAP_HOLD_HOURS = env.int("IDENTITY_SIM_SWAP_HOLD_HOURS", default=72)
IDENTITY_RECOVERY_CODES = env.int("IDENTITY_RECOVERY_CODES", default=10)
IDENTITY_TOTP_ENROLMENT_TTL_SECONDS = env.int("IDENTITY_TOTP_ENROLMENT_TTL_SECONDS", default=15 * 60)
# WebAuthn relying party: the site's registrable domain and the origins pages are served from.
IDENTITY_WEBAUTHN_RP_ID = env("IDENTITY_WEBAUTHN_RP_ID", default="localhost")
IDENTITY_WEBAUTHN_RP_NAME = env("IDENTITY_WEBAUTHN_RP_NAME", default="Hokwe")
IDENTITY_WEBAUTHN_ORIGINS = env.list(
    "IDENTITY_WEBAUTHN_ORIGINS", default=["http://localhost:8000", "http://127.0.0.1:8000"]
)
# A page's device identifier: a long-lived signed cookie (the apps send X-Device-Id).
IDENTITY_DEVICE_COOKIE = env("IDENTITY_DEVICE_COOKIE", default="hokwe_device")
IDENTITY_DEVICE_COOKIE_DAYS = env.int("IDENTITY_DEVICE_COOKIE_DAYS", default=400)
