"""GraphQL of the wallet's split part (fields named wallet<Thing>)."""

import graphene


class SplitQueries(graphene.ObjectType):
    pass


class SplitMutations(graphene.ObjectType):
    pass
