"""AnalyticsQueries: every root field starts with `analytics` (docs/api.md, "GraphQL naming")."""

import graphene


class AnalyticsQueries(graphene.ObjectType):
    pass
