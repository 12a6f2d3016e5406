"""Django authentication backend for the web login with Keycloak / OIDC
(mozilla-django-oidc: authorization code + PKCE). Users are linked by `sub`."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .errors import AccountInactive, TokenInvalid
from .services.audit import Kind, audit
from .services.oidc import user_for_oidc_claims


class OidcBackend(OIDCAuthenticationBackend):
    """Inactive (authenticates nobody) unless OIDC_ISSUER is set."""

    def __init__(self, *args, **kwargs):
        self.enabled = bool(settings.OIDC_ISSUER)
        if self.enabled:
            super().__init__(*args, **kwargs)
        else:
            ModelBackend.__init__(self, *args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not self.enabled or request is None or "code" not in request.GET:
            return None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.none()  # linking happens in get_or_create_user

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            return None  # userinfo must describe the subject of the ID token
        try:
            user = user_for_oidc_claims({**payload, **claims})
        except (TokenInvalid, AccountInactive):
            audit(Kind.LOGIN_FAILED, data={"method": "oidc"})
            return None
        return user  # the login itself is audited from the user_logged_in signal

    def user_can_authenticate(self, user):
        return user.is_active
