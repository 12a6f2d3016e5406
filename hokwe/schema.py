"""The GraphQL root schema, assembled from each module's graphql/schema.py.

A module exports `<Module>Queries` and/or `<Module>Mutations` (graphene ObjectTypes) from
`apps/<m>/graphql/schema.py`; being a module (settings.HOKWE_APPS) is enough to mount them.
Two modules declaring the same root field would silently shadow each other through
multiple inheritance, so the assembly refuses it and names both. The naming rule (every
root field starts with its module's name; docs/api.md) is checked by
tests/core/test_graphql_naming.py.
"""

from __future__ import annotations

import graphene
from graphene.utils.str_converters import to_camel_case

from apps.core.discovery import import_parts


class DuplicateGraphQLField(Exception):
    """Two modules declare the same root Query or Mutation field."""


def module_parts(suffix: str) -> list[tuple[str, type]]:
    """[(module label, <Module><suffix> class)] in layer order."""
    found = []
    for label, module in import_parts("graphql.schema"):
        part = getattr(module, f"{label.capitalize()}{suffix}", None)
        if part is not None:
            found.append((label, part))
    return found


def root_fields(parts: list[tuple[str, type]]) -> dict[str, tuple[str, object]]:
    """{camelCase field name: (module label, graphene Field)}; refuses duplicates."""
    fields: dict[str, tuple[str, object]] = {}
    for label, part in parts:
        for name, field in part._meta.fields.items():
            camel = to_camel_case(name)
            if camel in fields:
                raise DuplicateGraphQLField(
                    f"GraphQL root field {camel!r} is declared by both {fields[camel][0]} and {label} "
                    f"({part.__name__}); rename one (docs/api.md, 'GraphQL naming')."
                )
            fields[camel] = (label, field)
    return fields


def public_query_fields(parts: list[tuple[str, type]]) -> frozenset[str]:
    """The root query fields an anonymous caller may use: each module's Queries class
    names them in `public_fields` (python names); the rest need a login."""
    names = set()
    for label, part in parts:
        for name in getattr(part, "public_fields", ()):
            if name not in part._meta.fields:
                raise ValueError(
                    f"{label}: public_fields names {name!r}, which {part.__name__} does not declare"
                )
            names.add(to_camel_case(name))
    return frozenset(names)


def build_schema() -> graphene.Schema:
    queries = module_parts("Queries")
    mutations = module_parts("Mutations")
    root_fields(queries)
    root_fields(mutations)
    query = type("Query", tuple(part for _label, part in queries), {})
    mutation = type("Mutation", tuple(part for _label, part in mutations), {}) if mutations else None
    return graphene.Schema(query=query, mutation=mutation)


schema = build_schema()
PUBLIC_QUERY_FIELDS = public_query_fields(module_parts("Queries"))
