"""Payment success monitoring (docs/analytics.md, « Payment success monitoring »): the
payments that succeeded or failed, per provider and method, read from the rollups payments'
kpis.py keeps (`payments.succeeded` / `payments.failed`, one row a day, organization and
« provider/method »: each event counted once). The Prometheus collector (metrics.py), the
staff pages and the reports read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from ..models import Rollup

UNKNOWN = "unknown"
OUTCOMES = {"payments.succeeded": "succeeded", "payments.failed": "failed"}


def split_outcome_key(dimension: str) -> tuple[str, str]:
    """« provider/method » -> (provider, method)."""
    provider, _, method = (dimension or "").partition("/")
    return provider or UNKNOWN, method or UNKNOWN


@dataclass(frozen=True)
class SuccessRate:
    provider: str
    method: str
    succeeded: int
    failed: int

    @property
    def attempts(self) -> int:
        return self.succeeded + self.failed

    @property
    def rate(self) -> float | None:
        return self.succeeded / self.attempts if self.attempts else None


def payment_success_rates(*, since: date | None = None) -> list[SuccessRate]:
    """Succeeded and failed payments per provider and method, every organization (since a
    day: the day rows; ever: the month rows — one indexed read either way)."""
    qs = Rollup.objects.filter(scope="org", metric__in=list(OUTCOMES))
    qs = qs.filter(grain="d", period__gte=since) if since is not None else qs.filter(grain="m")
    totals: dict[tuple[str, str], dict[str, int]] = {}
    for metric, dimension, n in qs.values_list("metric", "dimension").annotate(n=Sum("count")):
        counts = totals.setdefault(split_outcome_key(dimension), {})
        counts[OUTCOMES[metric]] = counts.get(OUTCOMES[metric], 0) + int(n or 0)
    return [
        SuccessRate(provider, method, counts.get("succeeded", 0), counts.get("failed", 0))
        for (provider, method), counts in sorted(totals.items())
    ]
