"""GraphQL of lending's advance part (fields named lending<Thing>)."""

import graphene


class AdvanceQueries(graphene.ObjectType):
    pass


class AdvanceMutations(graphene.ObjectType):
    pass
