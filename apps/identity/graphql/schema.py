"""The identity part of the root GraphQL schema."""

from .mutations import IdentityMutations
from .queries import IdentityQueries

__all__ = ["IdentityMutations", "IdentityQueries"]
