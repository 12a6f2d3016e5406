"""drf-spectacular post-processing for the published OpenAPI schema.

`format: time` in JSON Schema / OpenAPI 3.1 means RFC 3339 *full-time* (with an offset, e.g.
`21:00:00Z`), but DRF's TimeField renders a local wall-clock time (`21:00:00`). The schema
then contradicts every response (found by schemathesis on notifications' quiet hours). We
publish such fields as a pattern-checked string instead.
"""

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
