"""Every REST route and page, tried as organization B's owner, an outsider (no membership)
and an anonymous caller: 401/403/404, never A's data."""

import pytest

from .cases import registry
from .framework import RestCase, build_path, check_rest_case, iter_routes, leaked
from .plan import plan_route

pytestmark = pytest.mark.django_db

ROUTES = [route for route in iter_routes() if route.surface not in ("admin", "graphql")]
ADMIN_ROUTES = [route for route in iter_routes() if route.surface == "admin"]
ADMIN_PUBLIC = {"admin:login", "admin:logout"}  # the back-office's own login and logout


@pytest.mark.parametrize("route", ROUTES, ids=[route.key or route.pattern for route in ROUTES])
def test_route_is_isolated(route, world, clients):
    plan = plan_route(route, world, registry())
    if plan.kind == "uncovered":
        pytest.fail(f"{route.key} is not covered (see test_every_endpoint_is_covered)")
    surface_clients = clients["api" if route.surface == "api" else "page"]
    if plan.kind == "public":
        case = RestCase(path=build_path(route, _placeholders(route)), owned=False, anonymous_allowed=True)
        case.methods = ("GET",) if "GET" in route.methods() else route.methods()[:1]
    else:
        case = plan.case
    problems = check_rest_case(route, case, world, surface_clients)
    assert not problems, "\n".join(problems)


def _placeholders(route):
    return {name: "00000000-0000-4000-8000-000000000000" for name in route.kwargs}


def test_admin_is_staff_only(world, clients):
    """Non-staff never see the back-office: every admin URL sends them to the admin login."""
    problems = []
    for route in ADMIN_ROUTES:
        values = {name: world.ids.get(name, "1") for name in route.kwargs}
        try:
            path = build_path(route, values)
        except KeyError:
            continue
        for actor, client in clients["page"].items():
            response = client.get(path)
            ok = response.status_code == 404 or (
                response.status_code in (301, 302) and "/admin/login/" in response.get("Location", "")
            )
            ok = ok or (route.key in ADMIN_PUBLIC and response.status_code < 500)
            body = response.content.decode("utf-8", "replace")
            if not ok or leaked(world.markers, body, echoed=[path]):
                problems.append(f"GET {path} as {actor} -> {response.status_code}")
    assert not problems, "\n".join(problems)
