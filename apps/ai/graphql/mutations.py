"""AiMutations: HokweMutation subclasses, fields named `ai<Verb><Thing>`."""

import graphene


class AiMutations(graphene.ObjectType):
    pass
