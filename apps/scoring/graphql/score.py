"""GraphQL of scoring's score part (fields named scoring<Thing>)."""

import graphene


class ScoreQueries(graphene.ObjectType):
    pass


class ScoreMutations(graphene.ObjectType):
    pass
