"""Every GraphQL query and mutation, tried as organization B's owner, an outsider and an
anonymous caller: refused or empty, never A's data."""

import pytest

from .cases import registry
from .framework import GraphQLCase, check_graphql_case, graphql_fields, selection_for
from .plan import plan_field, self_scoped_case


def _field_keys():
    from hokwe.schema import schema

    return sorted(graphql_fields(schema.graphql_schema))


FIELDS = _field_keys()


@pytest.mark.django_db
@pytest.mark.parametrize("key", FIELDS)
def test_graphql_field_is_isolated(key, world, clients):
    from hokwe.schema import schema

    kind, definition = graphql_fields(schema.graphql_schema)[key]
    name = key.split(".", 1)[1]
    plan = plan_field(key, kind, definition, world, registry())
    if plan.kind == "uncovered":
        pytest.fail(f"{key} is not covered (see test_every_endpoint_is_covered)")
    if plan.kind == "public":
        if kind == "mutation" or any(
            a.type.__class__.__name__ == "GraphQLNonNull" for a in definition.args.values()
        ):
            pytest.skip(f"public: {plan.reason} (fuzzed by schemathesis)")
        case = GraphQLCase(
            query=f"{{ {name} {selection_for(definition.type)} }}", owned=False, anonymous_allowed=True
        )
    elif plan.kind == "self":
        case = self_scoped_case(kind, name, definition)
    else:
        case = plan.case
    problems = check_graphql_case(name, case, world, clients["api"])
    assert not problems, "\n".join(problems)
