"""Lending's GraphQL, as the root schema imports it: one Queries/Mutations class per part
(graphql/loans.py: the borrower's loans; fund.py: the emergency fund and guarantors;
advance.py: landlord advances), combined here. Fields are named lending<Thing>."""

from .advance import AdvanceMutations, AdvanceQueries
from .fund import FundMutations, FundQueries
from .loans import LoansMutations, LoansQueries


class LendingQueries(LoansQueries, FundQueries, AdvanceQueries):
    pass


class LendingMutations(LoansMutations, FundMutations, AdvanceMutations):
    pass


__all__ = ["LendingMutations", "LendingQueries"]
