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


class PreferredLanguageMiddleware:
    """Pages speak a logged-in person's preferred language (User.preferred_language).

    An explicit choice on this browser (the language switch sets Django's language cookie)
    wins, and so does the API's Accept-Language (apps send it on purpose). Goes after
    AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(("/api/", GRAPHQL_PREFIX))
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.preferred_language in dict(settings.LANGUAGES)
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)
