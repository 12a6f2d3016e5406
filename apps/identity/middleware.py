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
            ip=requestmeta.ip_of(request),
            user_agent=request.headers.get("User-Agent", ""),
            device_id=request.headers.get(requestmeta.DEVICE_HEADER, ""),
        )
        try:
            if request.path.startswith(GRAPHQL_PREFIX) and "Authorization" in request.headers:
                rejected = self._authenticate_bearer(request)
                if rejected is not None:
                    return rejected
            response = self.get_response(request)
            new_device = getattr(request, "identity_new_device_cookie", None)
            if new_device:  # set at a page login (services/web_devices.py): this browser's id
                from django.conf import settings

                response.set_signed_cookie(
                    settings.IDENTITY_DEVICE_COOKIE,
                    new_device,
                    salt="identity.device",
                    max_age=settings.IDENTITY_DEVICE_COOKIE_DAYS * 86400,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            return response
        finally:
            requestmeta.unbind(tokens)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # after every middleware's request phase: messages and the user's language are set
        enrol_banner(request)
        return None

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


def enrol_banner(request) -> None:
    """Owners and accountants without a strong factor see, on every page, that they must
    enrol one (a message with a link to « Sécurité »), until they have."""
    user = getattr(request, "user", None)
    if (
        request.method != "GET"
        or not hasattr(request, "_messages")
        or user is None
        or not user.is_authenticated
        or not request.path.startswith("/manager/")
        or request.path.startswith("/manager/identity/security/")
        or request.headers.get("HX-Request")
    ):
        return
    from django.contrib import messages
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    from .services import protection

    if not protection.enrolment_missing(user):
        return
    text = format_html(
        '{} <a href="/manager/identity/security/" data-testid="enrol-banner">{}</a>',
        _(
            "Owners and accountants must add an authenticator app or a passkey: payouts and refunds refuse without one."
        ),
        _("Add one now"),
    )
    storage = messages.get_messages(request)
    if any(str(m) == str(text) for m in getattr(storage, "_queued_messages", [])):
        return
    messages.warning(request, text, extra_tags="enrol-banner")


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
