"""AiQueries: every root field starts with `ai` (docs/api.md, "GraphQL naming")."""

import graphene


class AiQueries(graphene.ObjectType):
    pass
