"""market's REST/GraphQL parity (checked by tests/core/test_transport_parity.py). Each part
appends its own block to the four tables."""

BOTH: dict[str, str] = {}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple] = {}


# --- listings ---
BOTH.update(
    {
        "POST /api/v1/market/listings": "marketListingCreate",
        "POST /api/v1/market/listings/from-unit": "marketListingCreateFromUnit",
        "PATCH /api/v1/market/listings/{listing_id}": "marketListingUpdate",
        "POST /api/v1/market/listings/{listing_id}/submit": "marketListingSubmit",
        "POST /api/v1/market/listings/{listing_id}/withdraw": "marketListingWithdraw",
    }
)
REST_ONLY.update(
    {
        "POST /api/v1/market/listings/{listing_id}/photos": "a photo upload is a multipart body, which GraphQL does not carry",
    }
)
