"""GraphQL of market's visits part: fields named market<Thing>."""

import graphene


class VisitsQueries(graphene.ObjectType):
    pass


class VisitsMutations(graphene.ObjectType):
    pass
