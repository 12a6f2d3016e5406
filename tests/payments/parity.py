"""payments' REST/GraphQL parity (checked by tests/core/test_transport_parity.py).

Provider webhooks (`payments/webhooks/<provider>`) are a plain Django view outside the
OpenAPI schema, so they are not REST operations here."""

BOTH = {
    "POST /api/v1/payments/intents": "paymentsCreateIntent",
    "POST /api/v1/payments/intents/{intent_id}/attempts": "paymentsStartPayment",
    "POST /api/v1/payments/intents/{intent_id}/confirm": "paymentsConfirmPayment",
    "POST /api/v1/payments/intents/{intent_id}/refunds": "paymentsRefund",
    "POST /api/v1/payments/intents/{intent_id}/cancel": "paymentsCancelIntent",
    "POST /api/v1/payments/intents/{intent_id}/push": "paymentsPushPayment",
    "POST /api/v1/payments/intents/{intent_id}/wallet": "paymentsPayWithWallet",
    "POST /api/v1/payments/merchant/cash": "paymentsRecordCashPayment",
    "POST /api/v1/payments/payout-accounts": "paymentsAddPayoutAccount",
    "POST /api/v1/payments/payout-accounts/{payout_account_id}/remove": "paymentsRemovePayoutAccount",
    "POST /api/v1/payments/payouts": "paymentsRequestPayout",
}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple] = {}
