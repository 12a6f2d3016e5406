"""Scoring's GraphQL, as the root schema imports it: one Queries/Mutations class per part
(graphql/score.py, screening.py, valuation.py, bureau.py), combined here."""

from .bureau import BureauMutations, BureauQueries
from .score import ScoreMutations, ScoreQueries
from .screening import ScreeningMutations, ScreeningQueries
from .valuation import ValuationMutations, ValuationQueries


class ScoringQueries(ScoreQueries, ScreeningQueries, ValuationQueries, BureauQueries):
    pass


class ScoringMutations(ScoreMutations, ScreeningMutations, ValuationMutations, BureauMutations):
    pass


__all__ = ["ScoringMutations", "ScoringQueries"]
