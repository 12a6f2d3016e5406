"""Project-wide 404/500 handlers: problem details under /api and /graphql, pages elsewhere."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.core.errors import problem

_API_PREFIXES = ("/api/", "/graphql")


def _is_api(request) -> bool:
    return request.path.startswith(_API_PREFIXES)


def not_found(request, exception=None):
    if _is_api(request):
        return problem(404, code="not_found", detail=_("No such resource."), instance=request.path)
    return render(request, "errors/404.html", status=404)


def server_error(request):
    if _is_api(request):
        return problem(
            500, code="server_error", detail=_("An unexpected error occurred."), instance=request.path
        )
    return render(request, "errors/500.html", status=500)


def bad_request(request, exception=None):
    from django.core.exceptions import RequestDataTooBig

    if isinstance(exception, RequestDataTooBig):
        return problem(413, code="body_too_large", detail=_("The request body is too large."))
    if _is_api(request):
        return problem(400, code="bad_request", detail=_("The request is malformed."), instance=request.path)
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    if _is_api(request):
        return problem(403, code="forbidden", detail=_("You do not have permission to do this."))
    return render(request, "errors/403.html", status=403)
