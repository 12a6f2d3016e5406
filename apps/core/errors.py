"""Errors: domain exceptions and RFC 9457 problem details for every REST error.

Services raise `DomainError` subclasses (transport-free). The REST exception handler
(apps.core.rest.problem_exception_handler) turns those and DRF's own exceptions into
`application/problem+json` bodies built here:
    {"type", "title", "status", "detail", "instance", "request_id", "errors": [...]}
Titles and details are translated (French by default, English on Accept-Language: en).
No stack trace ever reaches a client.
"""

from __future__ import annotations

import math

from django.http import JsonResponse
from django.utils.translation import gettext_lazy

from .context import get_request_id

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = "https://docs.hokwe.com/problems/"


class DomainError(Exception):
    """A business rule refused the operation. Subclasses set code, status and a message."""

    code = "domain_error"
    status = 400
    default_message = gettext_lazy("The operation was refused.")

    def __init__(self, message=None, *, field: str | None = None, **params):
        self.message = message or self.default_message
        self.field = field
        self.params = params
        super().__init__(str(self.message))


class Unauthenticated(DomainError):
    """No signed-in caller where one is needed (a GraphQL query outside `public_fields`)."""

    code = "unauthenticated"
    status = 401
    default_message = gettext_lazy("Log in first.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = gettext_lazy("Not found.")


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
    default_message = gettext_lazy("You do not have permission to do this.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = gettext_lazy("This conflicts with the current state.")


class IdempotencyConflict(Conflict):
    code = "idempotency_key_reused"
    default_message = gettext_lazy("This idempotency key was already used with a different request.")


_TITLES = {
    400: gettext_lazy("Invalid request"),
    401: gettext_lazy("Authentication required"),
    403: gettext_lazy("Forbidden"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    406: gettext_lazy("Not acceptable"),
    409: gettext_lazy("Conflict"),
    413: gettext_lazy("Request body too large"),
    415: gettext_lazy("Unsupported media type"),
    422: gettext_lazy("Unprocessable request"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Internal server error"),
    503: gettext_lazy("Service unavailable"),
}


def problem(
    status: int,
    *,
    code: str,
    detail: str | None = None,
    errors: list[dict] | None = None,
    instance: str | None = None,
    headers: dict | None = None,
    extra: dict | None = None,
) -> JsonResponse:
    body = {
        "type": PROBLEM_BASE + code,
        "title": str(_TITLES.get(status, _TITLES[400 if status < 500 else 500])),
        "status": status,
        "detail": str(detail) if detail is not None else str(_TITLES.get(status, "")),
        "code": code,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    for key, value in (extra or {}).items():  # a DomainError's `extra` members (RFC 9457 extensions)
        body.setdefault(key, value)
    body["request_id"] = get_request_id()
    response = JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)
    response["Content-Language"] = _current_language()
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def _current_language() -> str:
    from django.utils.translation import get_language

    return get_language() or "fr"


def flatten_field_errors(detail, prefix: str = "") -> list[dict]:
    """DRF's nested error dict/list -> [{"field": "a.b", "code": ..., "message": ...}]."""
    out: list[dict] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            out += flatten_field_errors(value, f"{prefix}.{name}".strip(".") if name else prefix)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)) and not _is_error_leaf(value):
                out += flatten_field_errors(value, f"{prefix}.{index}".strip("."))
            else:
                out += flatten_field_errors(value, prefix)
    else:
        out.append(
            {
                "field": prefix or None,
                "code": getattr(detail, "code", "invalid"),
                "message": str(detail),
            }
        )
    return out


def _is_error_leaf(value) -> bool:
    return isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value)


def domain_error_headers(exc: DomainError) -> dict:
    """HTTP headers a domain error carries: on a rate limit, Retry-After (whole seconds,
    rounded UP: waiting that long is enough) and the limiter's RateLimit-* headers."""
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is None:
        return {}
    headers = {}
    headers.update(getattr(exc, "rate_limit_headers", None) or {})  # apps.core.ratelimit.RateLimited
    headers["Retry-After"] = str(max(0, math.ceil(float(retry_after))))
    return headers
