"""Payment success monitoring (docs/analytics.md, « Payment success monitoring »): payments'
outcomes counted per day, provider and method, from payments' events. The outbox runs the
handler once per event, in the transaction that records it ran, so a redelivered event
counts once. The Prometheus collector (metrics.py) and the staff page read the totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from ..models import PaymentOutcome

UNKNOWN = "unknown"


def payment_outcome_count(*, provider: str, method: str, outcome: str, at: datetime | None = None) -> None:
    """One more payment that succeeded or failed (an upsert: no read-then-write race)."""
    day = (at or timezone.now()).astimezone(timezone.get_default_timezone()).date()
    table = PaymentOutcome._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, provider, method, outcome, count) VALUES (%s, %s, %s, %s, 1) "  # noqa: S608 - the model's table
            "ON CONFLICT (day, provider, method, outcome) DO UPDATE SET count = "
            f"{table}.count + 1",
            [day, (provider or UNKNOWN)[:40], (method or UNKNOWN)[:40], outcome],
        )


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
    """Succeeded and failed payments per provider and method (since a day, or ever)."""
    qs = PaymentOutcome.objects.all()
    if since is not None:
        qs = qs.filter(day__gte=since)
    totals: dict[tuple[str, str], dict[str, int]] = {}
    for row in qs.values("provider", "method", "outcome").annotate(n=Sum("count")):
        totals.setdefault((row["provider"], row["method"]), {})[row["outcome"]] = row["n"]
    return [
        SuccessRate(provider, method, counts.get("succeeded", 0), counts.get("failed", 0))
        for (provider, method), counts in sorted(totals.items())
    ]
