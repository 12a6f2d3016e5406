"""PUBLIC: partners' plain values (scopes, webhook event types). No models, no Django."""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    PAYMENTS_READ = "payments:read"
    PAYMENTS_WRITE = "payments:write"  # create and cancel intents, ask refunds
    ESTATE_READ = "estate:read"  # leases and dues
    WEBHOOKS_MANAGE = "webhooks:manage"


class EventType(StrEnum):
    PAYMENT_SUCCEEDED = "payment.succeeded"
    PAYMENT_FAILED = "payment.failed"
    REFUND_SUCCEEDED = "refund.succeeded"
    REFUND_FAILED = "refund.failed"
    DUE_PAID = "due.paid"


TEST_EVENT = "webhook.test"  # sent by « Send a test event », whatever the subscription

# REST routes an API key may call (by URL name) and the scope each method needs; any other
# route answers 403 to a key (deny by default). GraphQL and pages do not take keys.
KEY_ROUTES: dict[str, dict[str, str]] = {
    "payments-intents": {"GET": Scope.PAYMENTS_READ, "POST": Scope.PAYMENTS_WRITE},
    "payments-intent": {"GET": Scope.PAYMENTS_READ},
    "payments-intent-cancel": {"POST": Scope.PAYMENTS_WRITE},
    "payments-intent-refunds": {"POST": Scope.PAYMENTS_WRITE},
    "estate-leases": {"GET": Scope.ESTATE_READ},
    "estate-lease": {"GET": Scope.ESTATE_READ},
    "estate-dues": {"GET": Scope.ESTATE_READ},
    "estate-due": {"GET": Scope.ESTATE_READ},
    "partners-endpoints": {"GET": Scope.WEBHOOKS_MANAGE, "POST": Scope.WEBHOOKS_MANAGE},
    "partners-endpoint": {"GET": Scope.WEBHOOKS_MANAGE, "PATCH": Scope.WEBHOOKS_MANAGE},
    "partners-endpoint-rotate": {"POST": Scope.WEBHOOKS_MANAGE},
    "partners-endpoint-test": {"POST": Scope.WEBHOOKS_MANAGE},
    "partners-endpoint-deliveries": {"GET": Scope.WEBHOOKS_MANAGE},
    "partners-delivery-replay": {"POST": Scope.WEBHOOKS_MANAGE},
}

# retries after a failed attempt (seconds): 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h, 24 h;
# nine attempts over 65.6 h (68.9 h at most with the ±5 % jitter), inside the 3 days.
RETRY_DELAYS = (60, 300, 1800, 7200, 18000, 36000, 86400, 86400)
RETRY_JITTER = 0.05
