"""Reads of the figures (rollup rows only: never the source tables at request time).

    series(org, "rent.collected", start=date(2026, 1, 1), end=date(2026, 12, 1))   # by month
    totals(org, ["rent.expected", "rent.collected"], start=…, end=…)
    gauge(org, "arrears.balance", day=…)                                            # the last snapshot ≤ day

`organization` is the caller's organization (the page or endpoint checked the caller may see
it): every read filters on it first."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from uuid import UUID

from django.db.models import Max, Sum

from .models import Drift, Rollup

__all__ = ["drifts", "gauge", "gauge_by_month", "series", "totals"]


def _scoped(organization, *, scope: str, scope_id, grain: str):
    if scope not in ("org", "property", "owner"):
        raise ValueError(scope)
    return Rollup.objects.filter(
        organization=organization,
        scope=scope,
        scope_id=organization if scope == "org" else scope_id,
        grain=grain,
    )


def series(
    organization: UUID,
    metric: str,
    *,
    start: date,
    end: date,
    grain: str = "m",
    scope: str = "org",
    scope_id: UUID | None = None,
    dimension: str | None = None,
    currency: str | None = None,
) -> dict[tuple[date, str, str], tuple[int, int]]:
    """{(period, dimension, currency): (value, count)} for periods in [start, end]."""
    qs = _scoped(organization, scope=scope, scope_id=scope_id, grain=grain).filter(
        metric=metric, period__gte=start, period__lte=end
    )
    if dimension is not None:
        qs = qs.filter(dimension=dimension)
    if currency is not None:
        qs = qs.filter(currency=currency)
    return {
        (period, dim, cur): (value, count)
        for period, dim, cur, value, count in qs.values_list(
            "period", "dimension", "currency", "value", "count"
        )
    }


def totals(
    organization: UUID,
    metrics: list[str],
    *,
    start: date,
    end: date,
    grain: str = "m",
    scope: str = "org",
    scope_id: UUID | None = None,
) -> dict[tuple[str, str, str], tuple[int, int]]:
    """{(metric, dimension, currency): (value, count)} summed over [start, end] (sum metrics)."""
    rows = (
        _scoped(organization, scope=scope, scope_id=scope_id, grain=grain)
        .filter(metric__in=metrics, period__gte=start, period__lte=end)
        .values("metric", "dimension", "currency")
        .annotate(v=Sum("value"), c=Sum("count"))
    )
    return {(r["metric"], r["dimension"], r["currency"]): (int(r["v"] or 0), int(r["c"] or 0)) for r in rows}


def gauge(
    organization: UUID, metric: str, *, day: date, scope: str = "org", scope_id: UUID | None = None
) -> tuple[date | None, dict[tuple[str, str], tuple[int, int]]]:
    """The last snapshot on or before `day`: (its day, {(dimension, currency): (value, count)})."""
    qs = _scoped(organization, scope=scope, scope_id=scope_id, grain="d").filter(
        metric=metric, period__lte=day
    )
    last = qs.aggregate(d=Max("period"))["d"]
    if last is None:
        return None, {}
    return last, {
        (dim, cur): (value, count)
        for dim, cur, value, count in qs.filter(period=last).values_list(
            "dimension", "currency", "value", "count"
        )
    }


def gauge_by_month(
    organization: UUID, metric: str, *, start: date, end: date
) -> dict[date, dict[tuple[str, str], tuple[int, int]]]:
    """A gauge's last snapshot of each month in [start, end] (organization level)."""
    qs = _scoped(organization, scope="org", scope_id=None, grain="d").filter(
        metric=metric, period__gte=start, period__lte=end
    )
    rows = list(qs.values_list("period", "dimension", "currency", "value", "count"))
    last: dict[date, date] = {}
    for period, *_rest in rows:
        month = period.replace(day=1)
        if period > last.get(month, date.min):
            last[month] = period
    out: dict[date, dict] = defaultdict(dict)
    for period, dim, cur, value, count in rows:
        month = period.replace(day=1)
        if last[month] == period:
            out[month][(dim, cur)] = (value, count)
    return dict(out)


def drifts(*, organization: UUID | None = None, open_only: bool = True, limit: int = 200) -> list[Drift]:
    qs = Drift.objects.all()
    if organization is not None:
        qs = qs.filter(organization=organization)
    if open_only:
        qs = qs.filter(repaired_at__isnull=True)
    return list(qs[:limit])
