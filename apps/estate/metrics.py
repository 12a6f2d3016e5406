"""Prometheus series of estate (scraped at /metrics)."""

from prometheus_client import Counter, Gauge, Histogram

DUES_CREATED = Counter("hokwe_estate_dues_created_total", "Rent dues created", ["source"])
MONTH_END_BATCHES = Counter("hokwe_estate_month_end_batches_total", "Month-end batches committed")
MONTH_END_SECONDS = Histogram(
    "hokwe_estate_month_end_seconds",
    "Duration of a month-end run",
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1800),
)
MONTH_END_LAST_LEASES = Gauge("hokwe_estate_month_end_last_leases", "Leases seen by the last month-end run")
PAYMENTS_APPLIED = Counter("hokwe_estate_payments_applied_total", "Rent payments applied to dues", ["method"])
RECEIPTS_ISSUED = Counter("hokwe_estate_receipts_issued_total", "Rent receipts (quittances) issued")
