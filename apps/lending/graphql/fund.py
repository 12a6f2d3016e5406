"""GraphQL of lending's fund part (fields named lending<Thing>)."""

import graphene


class FundQueries(graphene.ObjectType):
    pass


class FundMutations(graphene.ObjectType):
    pass
