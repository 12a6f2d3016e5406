"""GraphQL of market's listings part: fields named market<Thing>."""

import graphene


class ListingsQueries(graphene.ObjectType):
    pass


class ListingsMutations(graphene.ObjectType):
    pass
