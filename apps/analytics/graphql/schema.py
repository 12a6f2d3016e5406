"""What the root schema mounts (hokwe/schema.py)."""

from .mutations import AnalyticsMutations
from .queries import AnalyticsQueries

__all__ = ["AnalyticsMutations", "AnalyticsQueries"]
