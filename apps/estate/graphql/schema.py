"""Estate's GraphQL part, mounted by the root schema: types in types.py, EstateQueries in
queries.py, the mutations and EstateMutations in mutations.py; statement import and matching
in statements.py (its StatementQueries / StatementMutations are mixed in here)."""

from .mutations import EstateMutations as _EstateMutations
from .queries import EstateQueries as _EstateQueries
from .statements import StatementMutations, StatementQueries


class EstateQueries(StatementQueries, _EstateQueries):
    public_fields = getattr(_EstateQueries, "public_fields", ())


class EstateMutations(StatementMutations, _EstateMutations):
    pass


__all__ = ["EstateMutations", "EstateQueries"]
