"""GraphQL of ads' social part (fields named ads<Thing>)."""

import graphene


class SocialQueries(graphene.ObjectType):
    pass


class SocialMutations(graphene.ObjectType):
    pass
