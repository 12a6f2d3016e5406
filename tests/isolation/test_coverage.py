"""No endpoint escapes: every route of the URL conf and every GraphQL query and mutation is
covered automatically, by an explicit case, or declared public with a reason."""

import pytest

from .cases import registry
from .framework import iter_routes
from .plan import all_field_plans, plan_route, uncovered_message

pytestmark = pytest.mark.django_db


def test_every_endpoint_is_covered(world):
    from hokwe.schema import schema

    reg = registry()
    missing = []
    for route in iter_routes():
        plan = plan_route(route, world, reg)
        if plan.kind == "uncovered":
            missing.append(f"route {route.key!r}  ({route.pattern}; {plan.reason})")
    for key, (_kind, _definition, plan) in all_field_plans(schema.graphql_schema, world, reg).items():
        if plan.kind == "uncovered":
            missing.append(f"GraphQL {key}  ({plan.reason})")
    assert not missing, uncovered_message(missing)


def test_declarations_name_existing_endpoints(world):
    """A stale entry (a renamed route) would hide the new name: refuse it."""
    from hokwe.schema import schema

    reg = registry()
    route_keys = {route.key for route in iter_routes()}
    field_keys = set(all_field_plans(schema.graphql_schema, world, reg))
    stale = sorted(
        [k for k in {**reg["PUBLIC_ROUTES"], **reg["REST_CASES"]} if k not in route_keys]
        + [
            k
            for k in {**reg["PUBLIC_GRAPHQL"], **reg["GRAPHQL_CASES"], **reg["SELF_SCOPED_GRAPHQL"]}
            if k not in field_keys
        ]
    )
    assert not stale, f"tests/isolation/cases.py names endpoints that no longer exist: {stale}"
