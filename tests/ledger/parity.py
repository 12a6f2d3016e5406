"""ledger's REST/GraphQL parity (checked by tests/core/test_transport_parity.py).

The ledger has no write over either transport: REST and GraphQL only read accounts and
statements; entries are posted by the other modules through apps.ledger.api."""

BOTH: dict[str, str] = {}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple[str, str]] = {}
