"""GraphQL of scoring's valuation part (fields named scoring<Thing>)."""

import graphene


class ValuationQueries(graphene.ObjectType):
    pass


class ValuationMutations(graphene.ObjectType):
    pass
