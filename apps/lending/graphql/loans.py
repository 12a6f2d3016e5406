"""GraphQL of lending's loans part (fields named lending<Thing>)."""

import graphene


class LoansQueries(graphene.ObjectType):
    pass


class LoansMutations(graphene.ObjectType):
    pass
