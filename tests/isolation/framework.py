"""The isolation suite's machinery: find every route and GraphQL field, build organization
A's data, replay each endpoint as someone else, and say what leaked.

Nothing here is specific to a module. A module author edits `cases.py` only (README there).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

ACTORS = ("member_of_b", "outsider", "anonymous")
REFUSED = {401, 403, 404, 405}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
IGNORED_KWARGS = {"version"}  # filled in by the router, not an object of A


# --- Routes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the route's name ("identity-organization", "manager:home"), else its pattern
    pattern: str  # the full pattern, for messages
    callback: Callable
    kwargs: tuple[str, ...]  # URL parameters other than `version`
    converters: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def surface(self) -> str:
        path = self.pattern.lstrip("^")
        if path.startswith(("admin/", "cms/")):  # the back-office and Wagtail's editor (staff, TOTP)
            return "admin"
        if path.startswith("api/") and "(?P<version>" in path:
            return "api"
        if path.startswith("graphql"):
            return "graphql"
        return "page"

    def methods(self) -> tuple[str, ...]:
        """The HTTP methods the view answers (DRF/Django class views), else GET and POST."""
        view_class = getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)
        actions = getattr(self.callback, "actions", None)  # DRF viewsets
        if actions:
            return tuple(sorted(m.upper() for m in actions))
        if view_class is not None:
            names = getattr(view_class, "http_method_names", [])
            found = [
                m.upper() for m in names if m not in ("options", "head", "trace") and hasattr(view_class, m)
            ]
            return tuple(found) or ("GET",)
        allowed = getattr(self.callback, "hokwe_methods", None)
        return tuple(allowed) if allowed else ("GET", "POST")


def _join(prefix: str, pattern) -> str:
    text = str(pattern)
    return prefix + text


def _kwarg_names(pattern) -> tuple[list[str], dict]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters), dict(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return list(re.compile(pattern._regex).groupindex), {}
    return [], {}


def iter_routes(urlconf=None) -> list[Route]:
    """Every URL pattern of the URL conf (include()s followed), named by its route name."""
    routes: list[Route] = []

    def walk(patterns, prefix: str, namespace: str | None, kwargs: list[str], converters: dict):
        for entry in patterns:
            names, conv = _kwarg_names(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, _join(prefix, entry.pattern), ns, kwargs + names, converters | conv)
            elif isinstance(entry, URLPattern):
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                full = _join(prefix, entry.pattern)
                all_kwargs = tuple(k for k in kwargs + names if k not in IGNORED_KWARGS)
                routes.append(Route(name or full, full, entry.callback, all_kwargs, converters | conv))

    walk(get_resolver(urlconf).url_patterns, "", None, [], {})
    return routes


def build_path(route: Route, values: dict[str, Any], urlconf=None) -> str:
    """The concrete path of a route with its parameters filled in (`version` = v1)."""
    from django.urls import NoReverseMatch, reverse

    values = {"version": "v1", **{k: str(v) for k, v in values.items()}}
    if route.key != route.pattern:  # named: let Django build it
        wanted = {k: v for k, v in values.items() if k in route.kwargs or k == "version"}
        for kwargs in (wanted, {k: v for k, v in wanted.items() if k != "version"}):
            try:
                return reverse(route.key, kwargs=kwargs, urlconf=urlconf)
            except NoReverseMatch:
                continue
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], route.pattern)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def resolves_to(route: Route, path: str, urlconf=None) -> bool:
    """True when `path` reaches the route's view (a 404 from the URL map proves nothing)."""
    from django.urls import Resolver404, resolve

    try:  # a case may name A's organization in the query string (`?organization=…`)
        return resolve(path.split("?", 1)[0], urlconf).func == route.callback
    except Resolver404:
        return False


# --- The world: organization A's data, and who tries to reach it -----------------------------


@dataclass
class World:
    org_a: Any
    user_a: Any  # owner of organization A
    org_b: Any
    user_b: Any  # owner of organization B
    outsider: Any  # a plain user with no membership (stands for "a tenant of another lease")
    ids: dict[str, Any] = field(default_factory=dict)  # URL kwarg / GraphQL argument -> A's public id
    markers: set[str] = field(default_factory=set)  # strings that must never reach B

    def provide(self, name: str, public_id, *more_markers) -> None:
        """Offer A's object under a URL parameter name (`account_id`); routes using that
        parameter are then covered automatically. GraphQL arguments match the camelCase
        form (`accountId`)."""
        self.ids[name] = public_id
        camel = re.sub(r"_(\w)", lambda m: m.group(1).upper(), name)
        self.ids.setdefault(camel, public_id)
        self.mark(public_id, *more_markers)

    def mark(self, *values) -> None:
        for value in values:
            if value is None or value == "":
                continue
            text = str(value)
            self.markers.add(text)
            if isinstance(value, uuid.UUID):
                self.markers.add(value.hex)

    def user(self, actor: str):
        return {"member_of_b": self.user_b, "outsider": self.outsider, "anonymous": None}[actor]


def leaked(markers: Iterable[str], body: str, *, echoed: Iterable[str] = ()) -> list[str]:
    """The markers found in `body`, after removing what the request itself carried (its path,
    echoed in problem details' `instance` or a page's form action) and the response's own
    request id."""
    for text in sorted(echoed, key=len, reverse=True):
        if text:
            body = body.replace(text, "")
    return sorted(m for m in markers if m and _found(m, body))


def _found(marker: str, body: str) -> bool:
    """A number is found as a number of its own (`"amount": 64219`), not as digits inside
    another one (`1.64219e+09` in /metrics, `164219`); any other marker as a substring."""
    if marker.isdigit():
        return re.search(rf"(?<![\d.]){marker}(?!\d)", body) is not None
    return marker in body


# --- REST and pages ---------------------------------------------------------------------------


@dataclass
class RestCase:
    """One route to try. `path` targets A's object; `body` is sent with write methods (give a
    valid body when the view validates input before loading the object); `markers` are extra
    strings of A's data; `methods` restricts the methods tried; `owned=False` says the path
    names no object of A (a collection or "my …" endpoint: B may get 200, but never A's data)."""

    path: str
    methods: tuple[str, ...] | None = None
    body: dict | None = None
    markers: tuple = ()
    owned: bool = True
    anonymous_allowed: bool = False  # public page: anyone may load it (still no A data)
    check_unchanged: Callable[[], Any] | None = None  # returns a snapshot of A's object


def _takes_body(method: str, path: str) -> bool:
    """Does this API operation read a body (its OpenAPI request)? An operation without one
    refuses any body with 400 `unexpected_body` before authentication (StrictBodyMiddleware):
    a real client sends it none, and so does this suite."""
    from django.urls import resolve

    from apps.core.middleware import view_takes_body

    return view_takes_body(resolve(path.split("?", 1)[0]).func, method)


def _request(client, method: str, path: str, body: dict | None, surface: str):
    kwargs = {}
    if method in WRITE_METHODS and surface == "api" and not _takes_body(method, path):
        kwargs = {}
    elif method in WRITE_METHODS and surface in ("api", "graphql"):
        kwargs = {"data": json.dumps(body or {}), "content_type": "application/json"}
    elif method in WRITE_METHODS:
        kwargs = {"data": body or {}}
    return getattr(client, method.lower())(path, **kwargs)


def check_rest_case(route: Route, case: RestCase, world: World, clients: dict, urlconf=None) -> list[str]:
    """Replay `case` as each actor; return the problems found (empty: isolated)."""
    problems: list[str] = []
    if not resolves_to(route, case.path, urlconf):
        return [
            f"{case.path} does not reach {route.key}: fix the case (a 404 from the URL map proves nothing)"
        ]
    markers = world.markers | {str(m) for m in case.markers}
    before = case.check_unchanged() if case.check_unchanged else None
    for actor in ACTORS:
        for method in case.methods or route.methods():
            response = _request(clients[actor], method, case.path, case.body, route.surface)
            status = response.status_code
            body = (
                response.content.decode("utf-8", "replace")
                if not getattr(response, "streaming", False)
                else ""
            )
            where = f"{method} {case.path} as {actor} -> {status}"
            # The response's own random request id is not A's data (a short marker could
            # otherwise match a run of its hex digits by chance).
            echoed = [case.path, json.dumps(case.body or {}), response.get("X-Request-ID", "")]
            found = leaked(markers, body, echoed=echoed)
            if found:
                problems.append(f"{where}: A's data in the response: {found[:3]}")
            if status >= 500:
                problems.append(f"{where}: server error")
            elif actor == "anonymous" and not case.anonymous_allowed:
                redirected_to_login = status in (301, 302) and "login" in response.get("Location", "")
                if status not in REFUSED and not redirected_to_login:
                    problems.append(f"{where}: an anonymous caller must get 401/403/404 (or the login page)")
            elif case.owned and status not in REFUSED and not (actor == "anonymous" and status in (301, 302)):
                problems.append(f"{where}: another organization must get 401/403/404 for A's object")
    if case.check_unchanged is not None and case.check_unchanged() != before:
        problems.append(f"{case.path}: A's object was changed by another organization's request")
    return problems


# --- GraphQL ----------------------------------------------------------------------------------


@dataclass
class GraphQLCase:
    """One query or mutation to try: the document, its variables (naming A's objects) and
    extra markers. `owned=False`: the field names no object of A (a list, `me`)."""

    query: str
    variables: dict = field(default_factory=dict)
    markers: tuple = ()
    owned: bool = True
    anonymous_allowed: bool = False


REFUSAL_CODES = {"unauthenticated", "not_authenticated", "forbidden", "permission_denied", "not_found"}


def _empty(value) -> bool:
    if value in (None, [], {}, 0, False, ""):
        return True
    if isinstance(value, dict):
        if value.get("ok") is False:
            return True
        if "edges" in value:
            return not value["edges"]
        if "results" in value:
            return not value["results"]
        # A mutation payload or object whose every field is empty / refused
        return all(_empty(v) for k, v in value.items() if k not in ("errors", "__typename", "ok"))
    return False


def check_graphql_case(field_name: str, case: GraphQLCase, world: World, clients: dict) -> list[str]:
    problems: list[str] = []
    markers = world.markers | {str(m) for m in case.markers}
    for actor in ACTORS:
        response = clients[actor].post(
            "/graphql",
            json.dumps({"query": case.query, "variables": case.variables}),
            content_type="application/json",
        )
        where = f"{field_name} as {actor} -> HTTP {response.status_code}"
        if response.status_code >= 500:
            problems.append(f"{where}: server error")
            continue
        try:
            payload = response.json()
        except ValueError:
            problems.append(f"{where}: not JSON")
            continue
        invalid = [e for e in payload.get("errors") or [] if isinstance(e, dict) and not e.get("path")]
        if response.status_code == 400 and invalid and actor == "member_of_b":
            problems.append(f"{where}: the case's document is invalid: {invalid[0].get('message')}")
            continue
        data = (payload.get("data") or {}).get(field_name) if isinstance(payload.get("data"), dict) else None
        found = leaked(markers, json.dumps(payload.get("data")))
        if found:
            problems.append(f"{where}: A's data in the response: {found[:3]}")
        codes = {
            (e.get("extensions") or {}).get("code")
            for e in payload.get("errors") or []
            if isinstance(e, dict)
        }
        refused = bool(codes & REFUSAL_CODES) or _empty(data)
        if actor == "anonymous" and not case.anonymous_allowed and not refused:
            problems.append(f"{where}: an anonymous caller got data: {json.dumps(data)[:200]}")
        elif actor != "anonymous" and case.owned and not refused:
            problems.append(f"{where}: another organization got A's object: {json.dumps(data)[:200]}")
    return problems


def selection_for(type_, depth: int = 0, max_depth: int = 3) -> str:
    """A selection set asking for every scalar (and nested objects up to `max_depth`), for
    fields that take no required arguments."""
    from graphql import GraphQLObjectType, get_named_type, is_leaf_type, is_required_argument

    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    if not isinstance(named, GraphQLObjectType):
        return "{ __typename }"
    parts = []
    for name, definition in named.fields.items():
        if any(is_required_argument(arg) for arg in definition.args.values()):
            continue
        inner = get_named_type(definition.type)
        if is_leaf_type(inner):
            parts.append(name)
        elif depth < max_depth and isinstance(inner, GraphQLObjectType):
            sub = selection_for(inner, depth + 1, max_depth)
            if sub:
                parts.append(f"{name} {sub}")
    return "{ " + " ".join(parts or ["__typename"]) + " }"


def graphql_fields(schema) -> dict[str, tuple[str, Any]]:
    """{"query.me": ("query", field), "mutation.logout": ("mutation", field), …}"""
    out = {}
    for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        for name, definition in (root.fields if root else {}).items():
            out[f"{kind}.{name}"] = (kind, definition)
    return out


def auto_graphql_case(kind: str, name: str, definition, world: World) -> GraphQLCase | None:
    """A case for a field whose required arguments are all A's ids that seeders provided
    (`accountId: ID!` ← world.provide("account_id", …)), or that has none (a query only)."""
    from graphql import get_named_type, is_required_argument

    required = {arg_name: arg for arg_name, arg in definition.args.items() if is_required_argument(arg)}
    if kind == "mutation" and not required:
        return None  # mutations change state: always an explicit case or a declaration
    if any(arg_name not in world.ids for arg_name in required):
        return None
    if any(str(get_named_type(arg.type)) not in ("ID", "UUID", "String") for arg in required.values()):
        return None
    declared = ", ".join(f"${n}: {arg.type}" for n, arg in required.items())
    call_args = ", ".join(f"{n}: ${n}" for n in required)
    query = (
        f"{kind}{f'({declared})' if declared else ''} "
        f"{{ {name}{f'({call_args})' if call_args else ''} {selection_for(definition.type)} }}"
    )
    return GraphQLCase(query=query, variables={n: str(world.ids[n]) for n in required}, owned=bool(required))
