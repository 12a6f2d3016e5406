"""DRF authentication for `Authorization: Bearer hk_live_…` / `hk_test_…` (organization API
keys). Registered first in DEFAULT_AUTHENTICATION_CLASSES: any other bearer token is left to
identity's class.

Every request reads the key row (one indexed query), so a revoked key gets 401 at once in
every process. The key acts as its service account with its scopes only: the route must be
listed in contracts.KEY_ROUTES with a scope the key holds (403 otherwise), and the key's own
rate limit applies (429 with Retry-After)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from apps.core import ratelimit

from ..contracts import KEY_ROUTES
from ..services.keys import key_authenticate, key_touch

PREFIXES = ("hk_live_", "hk_test_")


class ApiKeyPrincipal:
    """request.auth for a key: what the views may want to know."""

    def __init__(self, key):
        self.key = key
        self.organization_id = key.organization_id
        self.scopes = frozenset(key.scopes)

    def __repr__(self):
        return f"ApiKeyPrincipal({self.key.prefix})"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _sep, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token.startswith(PREFIXES):
            return None
        key = key_authenticate(token)
        if key is None or not key.account.is_active:
            raise exceptions.AuthenticationFailed(
                _("This API key is invalid, expired or revoked."), code="api_key_invalid"
            )
        ratelimit.hit("partners.api_key", key=f"apikey:{key.lookup}", rate=key.rate or None)
        match = getattr(request._request, "resolver_match", None)
        allowed = KEY_ROUTES.get(getattr(match, "url_name", None) or "", {})
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        scope = allowed.get(method)
        if scope is None or scope not in key.scopes:
            raise exceptions.PermissionDenied(
                _("This API key may not do this: it lacks the permission for this route."),
                code="scope_missing",
            )
        key_touch(key, ip=request.META.get("REMOTE_ADDR"))
        user = key.account
        user._partners_scopes = frozenset(key.scopes)  # read by partners' rules
        return user, ApiKeyPrincipal(key)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "hk_live_…",
            "description": "An organization's API key (docs/partners.md), scoped.",
        }
