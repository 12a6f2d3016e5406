"""GraphQL of market's search part: fields named market<Thing>."""

import graphene


class SearchQueries(graphene.ObjectType):
    pass


class SearchMutations(graphene.ObjectType):
    pass
