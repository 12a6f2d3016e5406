"""InvestQueries: every root field starts with `invest` (docs/api.md, "GraphQL naming")."""

import graphene


class InvestQueries(graphene.ObjectType):
    pass
