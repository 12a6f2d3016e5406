"""Request id, request-size, strict-body and early-response middleware."""

import json
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import ComponentRegistry
from rest_framework.views import APIView

from .context import bind_request, clean_request_id, unbind_request
from .errors import problem

REQUEST_ID_HEADER = "X-Request-ID"


class HealthProbeMiddleware:
    """Answer /healthz and /readyz before host validation and HTTPS redirects: load
    balancers and kubelets probe by pod IP over plain HTTP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .web import health

        if request.path_info == "/healthz":
            return health.healthz(request)
        if request.path_info == "/readyz":
            return health.readyz(request)
        return self.get_response(request)


class EarlyResponseMiddleware:
    """Let the modules answer a request before the session, the user and the URL resolver are
    looked at: each of `settings.HOKWE_EARLY_RESPONDERS` (dotted paths, from the modules'
    `EARLY_RESPONDERS`) is called with the request and returns a response or None. It sits
    after the security middleware (host checks, HTTPS, CSP and the security headers still
    apply to what it answers). For answers that need no one's identity: cms serves its
    sites' cached anonymous pages here (apps/cms/web/sites.py, `cached_page`)."""

    def __init__(self, get_response):
        from django.utils.module_loading import import_string

        self.get_response = get_response
        self.responders = [import_string(path) for path in getattr(settings, "HOKWE_EARLY_RESPONDERS", [])]

    def __call__(self, request):
        for responder in self.responders:
            response = responder(request)
            if response is not None:
                return response
        return self.get_response(request)


class RequestIdMiddleware:
    """Take the caller's X-Request-ID (when well-formed) or make one; bind it to the logs,
    the Celery tasks queued by this request and the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = clean_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = bind_request(request_id)
        try:
            response = self.get_response(request)
        finally:
            unbind_request(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class BodySizeLimitMiddleware:
    """Refuse a declared body over the limit with 413 before anything reads it.

    Bodies without Content-Length (chunked) are bounded by Django's own
    DATA_UPLOAD_MAX_MEMORY_SIZE check, which the error handlers also map to 413.
    Multipart uploads get the larger MAX_UPLOAD_BYTES limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return problem(400, code="bad_content_length", detail=_("Invalid Content-Length header."))
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = settings.HOKWE_MAX_UPLOAD_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit and length > limit:
            return problem(
                413,
                code="body_too_large",
                detail=_("The request body is too large (limit: %(limit)s bytes).") % {"limit": limit},
            )
        return self.get_response(request)


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_takes_body_cache: dict = {}


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def view_takes_body(callback, method: str) -> bool:
    """Does this REST operation declare a request body in the OpenAPI schema? Read from
    drf-spectacular (its `extend_schema(request=None)`, or no input serializer), so the
    schema clients generate from and the runtime rule are one and the same. DELETE never
    takes a body (the schema gives none). Cached per route and method."""
    key = (callback, method)
    if key not in _takes_body_cache:
        _takes_body_cache[key] = _declared_body(callback, method)
    return _takes_body_cache[key]


def _declared_body(callback, method: str) -> bool:
    try:
        generator = SchemaGenerator()  # holds the view's schema (a weak proxy) alive
        view = generator.create_view(callback, method)
        view.request = None
        view.schema.method = method
        # what `get_operation` would set: resolving the input serializer reads the registry
        view.schema.registry = ComponentRegistry()
        with GENERATOR_STATS.silence():
            return bool(view.schema._get_request_body())
    except Exception:
        logging.getLogger("hokwe.errors").warning("strict_body_schema_unreadable", exc_info=True)
        return True


def is_provider_callback(callback) -> bool:
    """Provider webhooks (views in a module's rest/webhooks.py) take the provider's body
    as it comes: verified by signature, never re-serialized, not ours to make strict."""
    return callback.cls.__module__.endswith(".webhooks")


class StrictBodyMiddleware:
    """Strict request bodies on every REST write (POST, PUT, PATCH, DELETE under /api/):
    - a JSON body that does not parse is 400 `parse_error`, whether or not the view reads it;
    - an operation that declares no body (the OpenAPI schema has none: close, confirm,
      cancel, read, DELETE…) refuses any body other than empty or `{}` with 400
      `unexpected_body`.
    Unknown fields in a declared body are the serializers' job (`StrictSerializer`,
    `unknown_field`). Runs before authentication: it looks at the body's syntax only and
    tells nothing about the resource. docs/api.md, "Strict input"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in WRITE_METHODS or not request.path_info.startswith("/api/"):
            return None
        cls = getattr(view_func, "cls", None)
        if cls is None or not issubclass(cls, APIView) or is_provider_callback(view_func):
            return None
        content_type = request.META.get("CONTENT_TYPE", "")
        takes_body = view_takes_body(view_func, request.method)
        if takes_body and not _is_json(content_type):
            return None  # multipart uploads, or a media type the view's parsers refuse (415)
        try:
            body = request.body
        except RequestDataTooBig:
            return problem(413, code="body_too_large", detail=_("The request body is too large."))
        if not body.strip():
            return None
        data = None
        if _is_json(content_type):
            try:
                data = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
            except ValueError:
                return problem(
                    400,
                    code="parse_error",
                    detail=_("The request body is not valid JSON."),
                    instance=request.path,
                )
        if takes_body or data == {}:
            return None
        return problem(
            400,
            code="unexpected_body",
            detail=_("This operation takes no request body: send none, or an empty JSON object {}."),
            instance=request.path,
        )


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")
