"""Estate's GraphQL part, mounted by the root schema: types in types.py, EstateQueries in
queries.py, the mutations and EstateMutations in mutations.py."""

from .mutations import EstateMutations
from .queries import EstateQueries

__all__ = ["EstateMutations", "EstateQueries"]
