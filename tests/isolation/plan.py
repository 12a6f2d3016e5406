"""Decides how each route and GraphQL field is covered (automatic, explicit, public) and
writes the failure message that tells a module author what to add."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .framework import GraphQLCase, RestCase, Route, World, auto_graphql_case, build_path, graphql_fields


@dataclass
class Plan:
    kind: str  # "public" | "explicit" | "auto" | "admin" | "uncovered"
    case: Any = None
    reason: str = ""


def plan_route(route: Route, world: World, reg: dict, urlconf=None) -> Plan:
    if route.key in reg["PUBLIC_ROUTES"]:
        return Plan("public", reason=reg["PUBLIC_ROUTES"][route.key])
    if route.key in reg["REST_CASES"]:
        return Plan("explicit", reg["REST_CASES"][route.key](world))
    if route.surface == "admin":
        return Plan("admin")
    if all(name in world.ids for name in route.kwargs):
        path = build_path(route, {name: world.ids[name] for name in route.kwargs}, urlconf)
        return Plan("auto", RestCase(path=path, owned=bool(route.kwargs)))
    missing = [name for name in route.kwargs if name not in world.ids]
    return Plan("uncovered", reason=f"no seeder provides {', '.join(missing)}")


def plan_field(key: str, kind: str, definition, world: World, reg: dict) -> Plan:
    name = key.split(".", 1)[1]
    if key in reg["PUBLIC_GRAPHQL"]:
        return Plan("public", reason=reg["PUBLIC_GRAPHQL"][key])
    if key in reg["GRAPHQL_CASES"]:
        return Plan("explicit", reg["GRAPHQL_CASES"][key](world))
    if key in reg["SELF_SCOPED_GRAPHQL"]:
        return Plan("self", reason=reg["SELF_SCOPED_GRAPHQL"][key])
    case = auto_graphql_case(kind, name, definition, world)
    if case is not None:
        return Plan("auto", case)
    return Plan("uncovered", reason="needs arguments no seeder provides" if definition.args else "a mutation")


def self_scoped_case(kind: str, name: str, definition) -> GraphQLCase:
    from .framework import selection_for

    return GraphQLCase(query=f"{kind} {{ {name} {selection_for(definition.type)} }}", owned=False)


HOW_TO = """
{count} endpoint(s) escape the isolation suite. For each one, in tests/isolation/cases.py
(or tests/<module>/isolation.py), do ONE of:

  1. Let it be generated: add a seeder that creates organization A's object and provides it
     under the URL parameter name the route uses:
         @seeder
         def mymodule_data(world):
             lease = LeaseFactory(organization=world.org_a)
             world.provide("lease_id", lease.public_id, lease.reference)   # + extra markers
     Every route with <uuid:lease_id> (and GraphQL arguments named leaseId) is then tried as
     organization B's owner, an outsider and an anonymous caller.
  2. Write an explicit case (when the route needs a body, a non-UUID parameter, …):
         @rest_case("route-name")
         def my_case(world):
             return RestCase(path=reverse("route-name", kwargs=...), body={{...valid body...}})
         @graphql_case("mutation.fieldName")
         def my_gql(world):
             return GraphQLCase(query="mutation($id: UUID!) {{ fieldName(id: $id) {{ ok }} }}",
                                variables={{"id": str(world.ids["lease_id"])}})
  3. Declare it public, with the reason: PUBLIC_ROUTES["route-name"] = "webhook, signature checked"
     (or PUBLIC_GRAPHQL / SELF_SCOPED_GRAPHQL for fields acting only on the caller's own data).

Uncovered:
{items}
"""


def uncovered_message(items: list[str]) -> str:
    return HOW_TO.format(count=len(items), items="\n".join(f"  - {item}" for item in items))


def all_field_plans(schema, world: World, reg: dict) -> dict[str, tuple[str, Any, Plan]]:
    return {
        key: (kind, definition, plan_field(key, kind, definition, world, reg))
        for key, (kind, definition) in graphql_fields(schema).items()
    }
