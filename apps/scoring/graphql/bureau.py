"""GraphQL of scoring's bureau part (fields named scoring<Thing>)."""

import graphene


class BureauQueries(graphene.ObjectType):
    pass


class BureauMutations(graphene.ObjectType):
    pass
