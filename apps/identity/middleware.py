"""IdentityMiddleware: binds the caller (IP, user agent) for services and the audit log,
and authenticates `Authorization: Bearer` tokens on /graphql (DRF does it for /api with
BearerTokenAuthentication). Goes after AuthenticationMiddleware."""

from apps.core.errors import problem

from . import requestmeta
from .errors import AccountInactive, TokenInvalid
from .tokenauth import user_for_bearer

GRAPHQL_PREFIX = "/graphql"


class IdentityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tokens = requestmeta.bind(
            ip=requestmeta.ip_of(request), user_agent=request.headers.get("User-Agent", "")
        )
        try:
            if request.path.startswith(GRAPHQL_PREFIX) and "Authorization" in request.headers:
                rejected = self._authenticate_bearer(request)
                if rejected is not None:
                    return rejected
            return self.get_response(request)
        finally:
            requestmeta.unbind(tokens)

    @staticmethod
    def _authenticate_bearer(request):
        scheme, _sep, token = request.headers["Authorization"].partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        try:
            user, _claims = user_for_bearer(token.strip())
        except (TokenInvalid, AccountInactive) as exc:
            response = problem(401, code=exc.code, detail=str(exc.message))
            response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return response
        request.user = user
        request._cached_user = user
        request.auth_claims = _claims
        return None
