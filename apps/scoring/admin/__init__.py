"""Scoring's admin (risk and compliance staff), one file per part."""

from . import bureau, dispute, score, screening, valuation  # noqa: F401
