"""Payments' GraphQL part, mounted by the root schema: types in types.py, PaymentsQueries
in queries.py, the mutations and PaymentsMutations in mutations.py."""

from .mutations import PaymentsMutations
from .queries import PaymentsQueries

__all__ = ["PaymentsMutations", "PaymentsQueries"]
