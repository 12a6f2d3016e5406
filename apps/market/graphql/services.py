"""GraphQL of market's services part: fields named market<Thing>."""

import graphene


class ServicesQueries(graphene.ObjectType):
    pass


class ServicesMutations(graphene.ObjectType):
    pass
