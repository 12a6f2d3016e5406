"""GraphQL of ads' creators part (fields named ads<Thing>)."""

import graphene


class CreatorsQueries(graphene.ObjectType):
    pass


class CreatorsMutations(graphene.ObjectType):
    pass
