"""GraphQL of ads' advertising part (fields named ads<Thing>)."""

import graphene


class AdvertisingQueries(graphene.ObjectType):
    pass


class AdvertisingMutations(graphene.ObjectType):
    pass
