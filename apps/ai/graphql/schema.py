"""What the root schema mounts (hokwe/schema.py)."""

from .mutations import AiMutations
from .queries import AiQueries

__all__ = ["AiMutations", "AiQueries"]
