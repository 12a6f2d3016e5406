"""billing's REST/GraphQL parity (checked by tests/core/test_transport_parity.py). Each part
appends its own block to the four tables."""

BOTH: dict[str, str] = {}

REST_ONLY: dict[str, str] = {}

GRAPHQL_ONLY: dict[str, str] = {}

MISSING: dict[str, tuple] = {}


# --- surfaces: what an organization's owners and managers do on their billing ---
BOTH.update(
    {
        "POST /api/v1/billing/subscription": "billingSubscribe",
        "POST /api/v1/billing/subscription/change": "billingChangePlan",
        "POST /api/v1/billing/subscription/cancel": "billingCancelSubscription",
        "POST /api/v1/billing/subscription/resume": "billingResumeSubscription",
        "POST /api/v1/billing/invoices/{invoice_id}/pay-link": "billingCreateInvoicePayLink",
        "PUT /api/v1/billing/payment-method": "billingSetPaymentMethod",
        "POST /api/v1/billing/credits": "billingBuyCredits",
    }
)
