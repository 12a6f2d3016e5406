"""Prometheus series of payments (served on /metrics)."""

from prometheus_client import Counter, Gauge

INTENTS_CREATED = Counter("hokwe_payments_intents_created_total", "Payment intents created")
PAYMENTS = Counter("hokwe_payments_attempts_total", "Payment attempts completed", ["provider", "outcome"])
REFUNDS = Counter("hokwe_payments_refunds_total", "Refunds made")
WEBHOOKS = Counter("hokwe_payments_webhooks_total", "Provider webhooks received", ["provider", "outcome"])
RECON_ITEMS = Counter(
    "hokwe_payments_reconciliation_items_total",
    "Differences found between providers and Hokwe",
    ["provider", "kind"],
)
RECON_OPEN = Gauge(
    "hokwe_payments_reconciliation_open_items",
    "Unresolved reconciliation items after the last run",
    ["provider"],
)
PAYOUTS = Counter("hokwe_payments_payouts_total", "Payouts completed", ["provider", "status"])
