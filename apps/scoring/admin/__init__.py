"""Scoring's admin (risk and compliance staff), one file per part."""

from . import bureau, dispute, score, score_state, screening, valuation  # noqa: F401
