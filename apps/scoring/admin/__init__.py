"""Scoring's admin (risk and compliance staff), one file per part."""

from . import bureau, score, screening, valuation  # noqa: F401
