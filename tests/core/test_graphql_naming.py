"""The GraphQL root's one naming rule (docs/api.md, "GraphQL naming"), and its duplicate check.

Every root field starts with its module's name: queries `<module><Thing>` (estateLeases,
identityMe), mutations `<module><Verb><Thing>` (estateCreateLease, identityRequestOtp).
A renamed field keeps its old name as a deprecated alias, whose reason names the new one."""

import re

import graphene
import pytest
from graphene.utils.str_converters import to_camel_case

from hokwe.schema import DuplicateGraphQLField, module_parts, root_fields


def _violations(suffix: str) -> list[str]:
    parts = module_parts(suffix)
    fields = root_fields(parts)
    problems = []
    for camel, (label, field) in fields.items():
        reason = getattr(field, "deprecation_reason", None)
        if reason:
            target = re.fullmatch(r"Use (\w+)\.", reason)
            if not target or target.group(1) not in fields or fields[target.group(1)][1].deprecation_reason:
                problems.append(f"{camel} ({label}): deprecated alias must say 'Use <current field>.'")
            continue
        prefix = to_camel_case(label)
        if not re.fullmatch(rf"{prefix}[A-Z]\w*", camel):
            problems.append(f"{camel} ({label}): must start with {prefix!r}")
    return problems


@pytest.mark.parametrize("suffix", ["Queries", "Mutations"])
def test_every_root_field_starts_with_its_module(suffix):
    assert _violations(suffix) == []


def test_two_modules_declaring_one_field_are_refused():
    class AQueries(graphene.ObjectType):
        estate_leases = graphene.String()

    class BQueries(graphene.ObjectType):
        estate_leases = graphene.String()

    with pytest.raises(DuplicateGraphQLField, match="estateLeases.*declared by both estate and recovery"):
        root_fields([("estate", AQueries), ("recovery", BQueries)])
