"""Scoring's admin (risk and compliance staff), one file per part."""

from . import (  # noqa: F401
    bureau,
    dispute,
    score,
    score_state,
    screening,
    valuation,
)
