"""GraphQL of scoring's screening part (fields named scoring<Thing>)."""

import graphene


class ScreeningQueries(graphene.ObjectType):
    pass


class ScreeningMutations(graphene.ObjectType):
    pass
