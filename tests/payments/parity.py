"""payments' REST/GraphQL parity (checked by tests/core/test_transport_parity.py).

Provider webhooks (`payments/webhooks/<provider>`) are a plain Django view outside the
OpenAPI schema, so they are not REST operations here."""

BOTH = {
    "POST /api/v1/payments/intents": "createPaymentIntent",
    "POST /api/v1/payments/intents/{intent_id}/attempts": "startPayment",
    "POST /api/v1/payments/intents/{intent_id}/confirm": "confirmPayment",
    "POST /api/v1/payments/intents/{intent_id}/refunds": "refundPayment",
    "POST /api/v1/payments/merchant/cash": "recordCashPayment",
    "POST /api/v1/payments/payout-accounts": "addPayoutAccount",
    "POST /api/v1/payments/payouts": "requestPayout",
}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING = {
    "POST /api/v1/payments/intents/{intent_id}/cancel": (
        "intent_cancel",
        "no mutation cancels an unpaid intent",
    ),
    "POST /api/v1/payments/intents/{intent_id}/push": (
        "attempt_push",
        "no mutation pushes a mobile money request to the payer's phone (collector app)",
    ),
    "POST /api/v1/payments/intents/{intent_id}/wallet": (
        "wallet_pay",
        "no mutation pays an intent from the Hokwe wallet",
    ),
    "POST /api/v1/payments/payout-accounts/{payout_account_id}/remove": (
        "payout_account_remove",
        "no mutation removes a payout account (addPayoutAccount has no counterpart)",
    ),
}
