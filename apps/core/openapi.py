"""drf-spectacular post-processing for the published OpenAPI schema.

`format: time` in JSON Schema / OpenAPI 3.1 means RFC 3339 *full-time* (with an offset, e.g.
`21:00:00Z`), but DRF's TimeField renders a local wall-clock time (`21:00:00`). The schema
then contradicts every response (found by schemathesis on notifications' quiet hours). We
publish such fields as a pattern-checked string instead.
"""

import re

PARTIAL_TIME = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$"


def _walk(node):
    if isinstance(node, dict):
        if node.get("format") == "time" and node.get("type") == "string":
            node.pop("format")
            node.setdefault("pattern", PARTIAL_TIME)
            node.setdefault("example", "21:00:00")
        for value in node.values():
            _walk(value)
    elif isinstance(node, list):
        for value in node:
            _walk(value)


def local_time_fields(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: local times are `HH:MM[:SS]` strings, not RFC 3339."""
    _walk(result)
    return result


# --- Rate limits per operation (issue 17) ------------------------------------------------------

_KEYED = {
    "AnonThrottle": ("anon", "ip", False),
    "UserThrottle": ("user", "user", False),
    "OrganizationThrottle": ("org", "organization", False),
}


def _operation_limits(view_cls) -> list[dict]:
    """The limits apps.core.throttling applies to a view, as `x-ratelimit` entries."""
    from . import ratelimit  # settings are read at schema time, like the throttles do

    scopes = list(getattr(view_cls, "throttle_scopes", ()) or ())
    if getattr(view_cls, "throttle_scope", None):
        scopes.append(view_cls.throttle_scope)
    entries = []
    for throttle in getattr(view_cls, "throttle_classes", ()) or ():
        name = getattr(throttle, "__name__", "")
        if name in _KEYED:
            pairs = [_KEYED[name]]
        elif name == "ScopedThrottle":
            pairs = [(scope, "user or ip", True) for scope in scopes]
        elif name == "IPScopedThrottle":
            pairs = [(f"{scope}.ip", "ip", True) for scope in scopes]
        else:
            continue
        for scope, key, own in pairs:
            rate = ratelimit.rate_for(scope)
            if rate is not None:
                entries.append(
                    {"scope": scope, "limit": rate.limit, "window": rate.period, "key": key, "own": own}
                )
    return entries


def _normalized(path: str) -> str:
    return re.sub(r"^/api/[^/]+/", "/api/*/", path)


def rate_limits(result, generator, request, public):
    """`x-ratelimit` on every throttled operation ([{scope, limit, window (s), key}]) and a
    sentence in the description of those with their own scope (docs/api.md, Rate limits)."""
    views = {}
    for path, _regex, method, callback in getattr(generator, "endpoints", None) or ():
        view_cls = getattr(callback, "cls", None)
        if view_cls is not None:
            views[(_normalized(path), method.lower())] = view_cls
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            view_cls = views.get((_normalized(path), method))
            if view_cls is None or not isinstance(operation, dict):
                continue
            entries = _operation_limits(view_cls)
            if not entries:
                continue
            operation["x-ratelimit"] = [{k: v for k, v in e.items() if k != "own"} for e in entries]
            own = [e for e in entries if e["own"]]
            if own:
                text = "; ".join(
                    f"`{e['scope']}`: {e['limit']} calls per {e['window']} s per {e['key']}" for e in own
                )
                note = (
                    f"Rate limit: {text} (429 with Retry-After beyond; RateLimit-* headers on every answer)."
                )
                operation["description"] = (operation.get("description", "") + "\n\n" + note).strip()
    return result


# --- Errors and common headers on every operation (issue 17) ------------------------------------

PROBLEM = "Problem"
PROBLEM_MEDIA_TYPE = "application/problem+json"

PROBLEM_COMPONENTS = {
    "ProblemFieldError": {
        "type": "object",
        "description": "One invalid field: `field` is a dotted path into the body or the query "
        "(`tenants.0.phone`), null for an error about the whole request.",
        "required": ["field", "code", "message"],
        "properties": {
            "field": {"type": "string", "nullable": True, "example": "amount"},
            "code": {"type": "string", "example": "invalid_amount"},
            "message": {"type": "string", "example": "Le montant doit être un entier en unités mineures."},
        },
    },
    PROBLEM: {
        "type": "object",
        "description": "RFC 9457 problem details, the body of every 4xx and 5xx answer "
        "(`application/problem+json`). `code` is stable and meant for programs; `title` and "
        "`detail` are translated for people (Accept-Language).",
        "required": ["type", "title", "status", "detail", "code"],
        "properties": {
            "type": {
                "type": "string",
                "format": "uri",
                "example": "https://docs.hokwe.com/problems/not_found",
            },
            "title": {"type": "string", "example": "Introuvable"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599, "example": 404},
            "detail": {"type": "string", "example": "Introuvable."},
            "code": {"type": "string", "example": "not_found"},
            "instance": {"type": "string", "example": "/api/v1/payments/intents/pi_01J0Z3"},
            "request_id": {"type": "string", "nullable": True, "example": "6f1c0a7e2b5d4c3e"},
            "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ProblemFieldError"}},
        },
    },
}

_STATUS_TEXT = {
    400: "Invalid request: `validation_error` (see `errors`), `parse_error`, `invalid_amount`, "
    "`unknown_field`, `unexpected_body`, `currency_not_supported` or a business refusal.",
    401: "`not_authenticated` or `authentication_failed`: no valid bearer token or session (a "
    "wrong token is refused even on a public operation), or an expired refresh token.",
    403: "`permission_denied`: the caller's role does not allow this, a missing CSRF token on a "
    "cookie session, or a refused signature or code.",
    404: "`not_found`: no such object among those the caller may see, named in the path, the "
    "query or the body (another organization's objects are 404 too).",
    409: "`conflict`: the object's state does not allow this now, or `idempotency_key_reused` "
    "with another body.",
    413: "`body_too_large`.",
    415: "`unsupported_media_type`: send `application/json`.",
    429: "`throttled`: wait `Retry-After` seconds; the same call is then accepted.",
    500: "`server_error`: logged with the `request_id`; safe to retry with the same Idempotency-Key.",
    503: "`provider_unavailable`: a payment or verification provider did not answer; retry later "
    "with the same Idempotency-Key.",
}

_RATE_HEADERS = {
    "Retry-After": {
        "description": "Seconds after which the same call is accepted.",
        "schema": {"type": "integer"},
    },
    "RateLimit-Limit": {
        "description": "Calls allowed in the window (IETF draft).",
        "schema": {"type": "integer"},
    },
    "RateLimit-Remaining": {"description": "Calls left in the window.", "schema": {"type": "integer"}},
    "RateLimit-Reset": {
        "description": "Seconds until the window frees a call.",
        "schema": {"type": "integer"},
    },
}

ACCEPT_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "Language of `title`, `detail` and messages: `fr` (default) or `en`.",
    "schema": {"type": "string", "enum": ["fr", "en"], "default": "fr"},
}

IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Up to 255 printable characters, unique per intended operation (a UUID). A "
    "retry with the same key and body replays the first answer (`Idempotent-Replayed: true`) and "
    "moves no money twice; the same key with another body is 409 `idempotency_key_reused`. Kept "
    "7 days.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}

_UNSAFE = {"post", "put", "patch", "delete"}


def _view_method(callback, method: str):
    view_cls = getattr(callback, "cls", None)
    if view_cls is None:
        return None
    actions = getattr(callback, "actions", None) or {}
    return getattr(view_cls, actions.get(method, method), None)


def _error_statuses(operation: dict, method: str) -> list[int]:
    """The error statuses an operation can give. Found by validating every answer of the test
    suite (tests/fixtures/openapi_responses.py): a bearer token that is wrong is 401 even on a
    public operation; a refused signature or code is 403 on public writes (callbacks, login);
    an id in the body or the query (`organization`, `lease`) is 404 like one in the path."""
    security = operation.get("security") or []
    anonymous_allowed = not security or any(not entry for entry in security)
    parameters = operation.get("parameters") or []
    names_objects = any(p.get("in") in ("path", "query") for p in parameters)
    has_query = any(p.get("in") == "query" for p in parameters)
    has_body = "requestBody" in operation
    unsafe = method in _UNSAFE

    statuses = []
    if unsafe or has_query or has_body:
        statuses.append(400)
    statuses.append(401)
    if not anonymous_allowed or unsafe:
        statuses.append(403)
    if names_objects or has_body or not anonymous_allowed:
        statuses.append(404)
    if unsafe:
        statuses.append(409)
    if has_body:
        statuses += [413, 415]
    if operation.get("x-ratelimit"):
        statuses.append(429)
    statuses.append(500)
    if unsafe:
        statuses.append(503)
    return statuses


def _problem_response(status: int) -> dict:
    response = {
        "description": _STATUS_TEXT[status],
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": f"#/components/schemas/{PROBLEM}"}}},
    }
    if status == 429:
        response["headers"] = dict(_RATE_HEADERS)
    return response


def problems_and_headers(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry (after `rate_limits`):
    - the `Problem` component and a problem-details response for each 4xx/5xx an operation can
      give (validation, authentication, permission, not found, conflict, size, media type,
      rate limit, server and provider errors), with Retry-After and RateLimit-* on 429;
      (a status the view documents itself keeps its description, with the Problem body);
    - `Accept-Language` on every operation;
    - `Idempotency-Key` on every operation whose view method is wrapped by
      apps.core.rest.idempotent (a view that declares it itself, e.g. as required, keeps its own).
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(PROBLEM_COMPONENTS)
    methods = {}
    for path, _regex, method, callback in getattr(generator, "endpoints", None) or ():
        methods[(_normalized(path), method.lower())] = _view_method(callback, method.lower())
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            parameters = operation.setdefault("parameters", [])
            names = {(p.get("name", "").lower(), p.get("in")) for p in parameters}
            view_method = methods.get((_normalized(path), method))
            if (
                getattr(view_method, "accepts_idempotency_key", False)
                and (
                    "idempotency-key",
                    "header",
                )
                not in names
            ):
                parameters.append(dict(IDEMPOTENCY_KEY))
            if ("accept-language", "header") not in names:
                parameters.append(dict(ACCEPT_LANGUAGE))
            responses = operation["responses"]
            for status in _error_statuses(operation, method):
                responses.setdefault(str(status), _problem_response(status))
            # a status a view documents itself (410, 422, …) with a description: the same body
            for status, response in responses.items():
                content = response.get("content") or {}
                if str(status).isdigit() and int(status) >= 400 and PROBLEM_MEDIA_TYPE in content:
                    content[PROBLEM_MEDIA_TYPE]["schema"] = {"$ref": f"#/components/schemas/{PROBLEM}"}
    return result


def api_paths_only(endpoints):
    """Preprocessing hook: the schema describes /api/v1/ only. Libraries that bring DRF views of
    their own (Wagtail's editor API under /cms/api/) are internal to their pages."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
