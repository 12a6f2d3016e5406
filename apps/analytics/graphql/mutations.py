"""AnalyticsMutations: HokweMutation subclasses, fields named `analytics<Verb><Thing>`."""

import graphene


class AnalyticsMutations(graphene.ObjectType):
    pass
