"""analytics' REST/GraphQL parity (checked by tests/core/test_transport_parity.py). Each part
adds its own entries under `# --- <part> ---`."""

BOTH: dict[str, str] = {}
REST_ONLY: dict[str, str] = {}
GRAPHQL_ONLY: dict[str, str] = {}
MISSING: dict[str, tuple] = {}

# --- product analytics: one batch of the app's events, one service (events_ingest) ---
BOTH["POST /api/v1/analytics/events"] = "analyticsTrackEvents"
