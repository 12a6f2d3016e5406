"""Prometheus series of analytics (served on /metrics; docs/analytics.md, « Payment success
monitoring »).

    hokwe_analytics_payments_total{provider,method,outcome}   counter, outcome = succeeded|failed

Computed when Prometheus scrapes, from the counts the payments handlers keep in the database
(services/monitoring.py): every web pod answers the same totals, whatever process handled the
event and across restarts, so the rules take `max without (instance, pod)` before `rate()`
(deploy/prometheus/alerts.yml). The success rate is succeeded / (succeeded + failed)."""

from __future__ import annotations

import logging

from prometheus_client import REGISTRY
from prometheus_client.core import CounterMetricFamily

logger = logging.getLogger("hokwe.analytics.metrics")

PAYMENTS_TOTAL = "hokwe_analytics_payments"
HELP = "Payments that succeeded or failed, by provider and method (from payments' events)"


class PaymentOutcomeCollector:
    """Reads its figures from `source()` (services.monitoring.payment_success_rates, given by
    handlers.py: this file sits below the services in the module's layers)."""

    def __init__(self):
        self.source = None

    def describe(self):
        return [CounterMetricFamily(PAYMENTS_TOTAL, HELP, labels=["provider", "method", "outcome"])]

    def collect(self):
        family = CounterMetricFamily(PAYMENTS_TOTAL, HELP, labels=["provider", "method", "outcome"])
        try:
            for rate in self.source() if self.source else ():
                family.add_metric([rate.provider, rate.method, "succeeded"], rate.succeeded)
                family.add_metric([rate.provider, rate.method, "failed"], rate.failed)
        except Exception:  # a scrape never fails because the database is away
            logger.warning("analytics_payment_outcomes_unavailable", exc_info=True)
        yield family


_collector: PaymentOutcomeCollector | None = None


def register(source=None) -> PaymentOutcomeCollector:
    global _collector
    if _collector is None:
        _collector = PaymentOutcomeCollector()
        REGISTRY.register(_collector)
    if source is not None:
        _collector.source = source
    return _collector


register()
