"""The ledger's part of the root GraphQL schema (read-only: no mutations)."""

from .queries import LedgerQueries

__all__ = ["LedgerQueries"]
