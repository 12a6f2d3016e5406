"""BillingQueries: every root field starts with `billing` (docs/api.md, "GraphQL naming")."""

import graphene


class BillingQueries(graphene.ObjectType):
    pass
