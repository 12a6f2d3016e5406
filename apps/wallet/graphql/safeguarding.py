"""GraphQL of the wallet's safeguarding part (fields named wallet<Thing>)."""

import graphene


class SafeguardingQueries(graphene.ObjectType):
    pass


class SafeguardingMutations(graphene.ObjectType):
    pass
