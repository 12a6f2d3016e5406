"""Prometheus series of the wallet (scraped at /metrics). Each part appends its own.

Safeguarding: read from the latest SafeguardingReport of each currency when Prometheus
scrapes (the daily run happens in a worker; every web pod exposes the same figures):
    hokwe_wallet_safeguarding_outstanding{currency}   e-money outstanding (minor units)
    hokwe_wallet_safeguarding_safeguarded{currency}   trust bank balance (absent when missing)
    hokwe_wallet_safeguarding_gap{currency}           safeguarded − outstanding (absent when missing)
    hokwe_wallet_safeguarding_unbalanced{currency}    1 when the report has a gap or no bank balance
    hokwe_wallet_safeguarding_report_timestamp_seconds{currency}  when the report was computed
Alerts: HokweSafeguardingGap, HokweSafeguardingReportStale (deploy/prometheus/alerts.yml).
"""

from __future__ import annotations

import logging

from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger("hokwe.metrics")

_SAFEGUARDING = (
    (
        "hokwe_wallet_safeguarding_outstanding",
        "E-money outstanding (wallets, pots, vaults, held P2P), minor units",
    ),
    (
        "hokwe_wallet_safeguarding_safeguarded",
        "Trust bank account balance used by the last report, minor units",
    ),
    (
        "hokwe_wallet_safeguarding_gap",
        "Safeguarded minus outstanding in the last report (negative: shortfall)",
    ),
    ("hokwe_wallet_safeguarding_unbalanced", "1 when the last report has a gap or no bank balance"),
    ("hokwe_wallet_safeguarding_report_timestamp_seconds", "When the last safeguarding report was computed"),
)


class SafeguardingCollector:
    """Reads the latest report of each currency through `source` (set by
    services/safeguarding.py: metrics sit below the models and cannot read them)."""

    source = (
        None  # () -> iterable of objects with currency, outstanding, safeguarded, gap, status, computed_at
    )

    def _families(self):
        return {name: GaugeMetricFamily(name, text, labels=["currency"]) for name, text in _SAFEGUARDING}

    def describe(self):
        return list(self._families().values())

    def collect(self):
        families = self._families()
        try:
            for report in self.source() if self.source is not None else ():
                labels = [report.currency]
                families["hokwe_wallet_safeguarding_outstanding"].add_metric(labels, report.outstanding)
                if report.safeguarded is not None:
                    families["hokwe_wallet_safeguarding_safeguarded"].add_metric(labels, report.safeguarded)
                    families["hokwe_wallet_safeguarding_gap"].add_metric(labels, report.gap)
                families["hokwe_wallet_safeguarding_unbalanced"].add_metric(
                    labels, 0 if report.status == "balanced" else 1
                )
                families["hokwe_wallet_safeguarding_report_timestamp_seconds"].add_metric(
                    labels, report.computed_at.timestamp()
                )
        except Exception:  # /metrics must answer even when the database does not
            logger.warning("wallet_safeguarding_metrics_unavailable", exc_info=True)
        yield from families.values()


_collector: SafeguardingCollector | None = None


def register_safeguarding_collector(source=None) -> SafeguardingCollector:
    global _collector
    if _collector is None:
        _collector = SafeguardingCollector()
        REGISTRY.register(_collector)
    if source is not None:
        _collector.source = source  # an instance attribute: never bound as a method
    return _collector


register_safeguarding_collector()
