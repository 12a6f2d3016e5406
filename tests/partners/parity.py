"""partners' REST/GraphQL parity (checked by tests/core/test_transport_parity.py)."""

BOTH = {
    "POST /api/v1/partners/keys": "partnersCreateApiKey",
    "POST /api/v1/partners/keys/{key_id}/rotate": "partnersRotateApiKey",
    "POST /api/v1/partners/keys/{key_id}/revoke": "partnersRevokeApiKey",
    "POST /api/v1/partners/endpoints": "partnersCreateWebhookEndpoint",
    "PATCH /api/v1/partners/endpoints/{endpoint_id}": "partnersUpdateWebhookEndpoint",
    "POST /api/v1/partners/endpoints/{endpoint_id}/rotate-secret": "partnersRotateWebhookSecret",
    "POST /api/v1/partners/endpoints/{endpoint_id}/test": "partnersSendTestWebhook",
    "POST /api/v1/partners/deliveries/{delivery_id}/replay": "partnersReplayWebhookDelivery",
}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple[str, str]] = {}
