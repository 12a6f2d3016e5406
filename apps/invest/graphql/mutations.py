"""InvestMutations: HokweMutation subclasses, fields named `invest<Verb><Thing>`."""

import graphene


class InvestMutations(graphene.ObjectType):
    pass
