"""DRF authentication for `Authorization: Bearer <access token>` (built-in or OIDC)."""

from django.utils.translation import gettext_lazy as _
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
