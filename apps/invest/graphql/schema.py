"""What the root schema mounts (hokwe/schema.py)."""

from .mutations import InvestMutations
from .queries import InvestQueries

__all__ = ["InvestMutations", "InvestQueries"]
