"""Row-level reads for analytics' reports (HokweReporting): each collector's performance over a
period. Scoped by the organization's public id, set-based (four queries whatever the number
of collectors and cases), frozen dataclasses out (contracts.py)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.db.models import Count, Q, Sum

from ..contracts import CaseStatus, CollectorPerformance, EventKind
from ..models import Case, CaseEvent

LIVE = [CaseStatus.OPEN, CaseStatus.PROMISED, CaseStatus.PLAN, CaseStatus.LEGAL]
ACTIVITY = {
    EventKind.CALL: "calls",
    EventKind.VISIT: "visits",
    EventKind.PROMISE_KEPT: "promises_kept",
    EventKind.PROMISE_BROKEN: "promises_broken",
}


def _cases(organization: UUID, property: UUID | None, owner: UUID | None, prefix: str = ""):
    qs = Case.objects.filter(**{f"{prefix}organization__public_id": organization})
    if property is not None:
        qs = qs.filter(**{f"{prefix}property": property})
    if owner is not None:
        qs = qs.filter(**{f"{prefix}owner": owner})
    return qs


def collector_performance(
    organization: UUID,
    *,
    start: date,
    end: date,
    property: UUID | None = None,
    owner: UUID | None = None,
) -> list[CollectorPerformance]:
    """Per collector and currency, from `start` to `end` (inclusive), the most recovered first."""
    in_period = Q(opened_on__lte=end) & (Q(closed_at__isnull=True) | Q(closed_at__date__gte=start))
    rows: dict[tuple[UUID, str], dict] = {}
    names: dict[UUID, str] = {}

    def row(collector: UUID, currency: str) -> dict:
        return rows.setdefault(
            (collector, currency),
            {
                "cases": 0,
                "opened": 0,
                "closed": 0,
                "owed": 0,
                "recovered": 0,
                **{name: 0 for name in ACTIVITY.values()},
            },
        )

    for r in (
        _cases(organization, property, owner)
        .filter(in_period, collector__isnull=False)
        .values("collector__public_id", "collector__full_name", "currency")
        .annotate(
            n=Count("id"),
            opened_n=Count("id", filter=Q(opened_on__gte=start)),
            closed_n=Count("id", filter=Q(closed_at__date__gte=start, closed_at__date__lte=end)),
            owed_sum=Sum("amount_owed", filter=Q(status__in=LIVE)),
        )
        .order_by()
    ):
        names[r["collector__public_id"]] = r["collector__full_name"]
        target = row(r["collector__public_id"], r["currency"])
        target.update(cases=r["n"], opened=r["opened_n"], closed=r["closed_n"], owed=r["owed_sum"] or 0)

    events = CaseEvent.objects.filter(
        case__in=_cases(organization, property, owner),
        happened_at__date__gte=start,
        happened_at__date__lte=end,
    )
    for r in (
        events.filter(kind=EventKind.PAYMENT)
        .exclude(data__collector="")
        .values("data__collector", "case__currency")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        try:
            collector = UUID(str(r["data__collector"]))
        except (TypeError, ValueError):
            continue
        row(collector, r["case__currency"])["recovered"] += r["s"] or 0

    for r in (
        events.filter(kind__in=list(ACTIVITY), case__collector__isnull=False)
        .values("case__collector__public_id", "case__currency", "kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        row(r["case__collector__public_id"], r["case__currency"])[ACTIVITY[EventKind(r["kind"])]] += r["n"]

    missing = {collector for collector, _cur in rows} - set(names)
    if missing:  # recovered on cases since handed to someone else: the name from any case of theirs
        for r in (
            _cases(organization, None, None)
            .filter(collector__public_id__in=missing)
            .values("collector__public_id", "collector__full_name")
            .distinct()
        ):
            names[r["collector__public_id"]] = r["collector__full_name"]
    found = [
        CollectorPerformance(collector=collector, name=names.get(collector, ""), currency=currency, **figures)
        for (collector, currency), figures in rows.items()
    ]
    return sorted(found, key=lambda p: (-p.recovered, p.name, str(p.collector)))
