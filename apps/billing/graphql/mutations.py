"""BillingMutations: HokweMutation subclasses, fields named `billing<Verb><Thing>`."""

import graphene


class BillingMutations(graphene.ObjectType):
    pass
