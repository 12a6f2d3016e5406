"""GraphQL of market's applications part: fields named market<Thing>."""

import graphene


class ApplicationsQueries(graphene.ObjectType):
    pass


class ApplicationsMutations(graphene.ObjectType):
    pass
