"""The GraphQL root schema, assembled from each module's graphql/schema.py.

A module exports `<Module>Queries` and/or `<Module>Mutations` (graphene ObjectTypes);
listing the module in settings.HOKWE_APPS is enough to mount them.
"""

from importlib import import_module
from importlib.util import find_spec

import graphene
from django.conf import settings


def _parts(suffix: str) -> list[type]:
    found = []
    for app in settings.HOKWE_APPS:
        try:
            if find_spec(f"{app}.graphql.schema") is None:
                continue
        except ModuleNotFoundError:
            continue
        module = import_module(f"{app}.graphql.schema")
        label = app.rsplit(".", 1)[1].capitalize()
        part = getattr(module, f"{label}{suffix}", None)
        if part is not None:
            found.append(part)
    return found


def build_schema() -> graphene.Schema:
    queries = _parts("Queries")
    mutations = _parts("Mutations")
    query = type("Query", tuple(queries), {})
    mutation = type("Mutation", tuple(mutations), {}) if mutations else None
    return graphene.Schema(query=query, mutation=mutation)


schema = build_schema()
