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
