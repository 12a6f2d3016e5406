"""Prometheus series of recovery (scraped at /metrics)."""

from prometheus_client import Counter, Histogram

STEPS_RUN = Counter("hokwe_recovery_steps_total", "Ladder steps done", ["action", "status"])
CASES = Counter("hokwe_recovery_cases_total", "Cases opened and closed", ["event"])
PROMISES = Counter("hokwe_recovery_promises_total", "Promises to pay by outcome", ["status"])
LADDER_SECONDS = Histogram(
    "hokwe_recovery_ladder_run_seconds",
    "Duration of a daily ladder run",
    buckets=(1, 5, 15, 30, 60, 120, 300, 600),
)
