"""Request id and request-size middleware."""

from django.conf import settings
from django.utils.translation import gettext as _

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
