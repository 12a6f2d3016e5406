"""The kyc part of the root GraphQL schema."""

from .mutations import KycMutations
from .queries import KycQueries

__all__ = ["KycMutations", "KycQueries"]
