"""What the root schema mounts (hokwe/schema.py)."""

from .mutations import BillingMutations
from .queries import BillingQueries

__all__ = ["BillingMutations", "BillingQueries"]
