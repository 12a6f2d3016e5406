"""DRF authentication for `Authorization: Bearer <access token>` (built-in or OIDC)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from ..errors import AccountInactive, TokenInvalid
from ..tokenauth import user_for_bearer


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        token = token.strip()
        if not token:
            raise exceptions.AuthenticationFailed(
                _("The token is invalid or has expired."), code="token_invalid"
            )
        try:
            user, claims = user_for_bearer(token)
        except (TokenInvalid, AccountInactive) as exc:
            raise exceptions.AuthenticationFailed(exc.message, code=exc.code)
        return user, claims

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Documents the bearer scheme in the OpenAPI schema (Swagger's "Authorize" button)."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "Access token from /api/v1/auth/otp/verify (15 min) or from the OIDC issuer.",
        }
