"""GraphQL of the wallet's tontine part (fields named wallet<Thing>)."""

import graphene


class TontineQueries(graphene.ObjectType):
    pass


class TontineMutations(graphene.ObjectType):
    pass
