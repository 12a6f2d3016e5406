"""Recovery's GraphQL, as the root schema imports it: types in types.py, RecoveryQueries in
queries.py, the mutations and RecoveryMutations in mutations.py."""

from .mutations import RecoveryMutations
from .queries import RecoveryQueries

__all__ = ["RecoveryMutations", "RecoveryQueries"]
