"""The figures at a glance (docs/analytics.md, « Dashboards »): KPI tiles with the trend
against last month and a 12-month chart, for an agency (its organization), an owner (their
properties across the agencies that manage them) and Hokwe's staff (every organization).
Rollup rows only: a handful of indexed queries, whatever the portfolio's size.

    agency_dashboard(org_public_id, today=…)   -> Dashboard
    owner_dashboard(owner_public_ids, today=…) -> Dashboard
    staff_dashboard(today=…)                   -> StaffDashboard
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from django.db.models import Max, Q, Sum
from django.utils.translation import gettext

from apps.core.dbrouter import replica_reads
from apps.core.kpis import PLATFORM

from ..models import Rollup
from .monitoring import split_outcome_key

__all__ = [
    "Dashboard",
    "StaffDashboard",
    "Tile",
    "agency_dashboard",
    "dashboard_json",
    "dashboard_of",
    "owner_dashboard",
    "staff_dashboard",
    "tile_label",
]

SUMS = (
    "rent.expected",
    "rent.collected",
    "rent.paid_on_time",
    "rent.paid_within_30",
    "rent.days_to_pay",
    "rent.commission",
    "units.total_days",
    "units.occupied_days",
    "recovery.closed",
    "recovery.recovered",
)
GAUGES = ("arrears.balance", "deposits.held")


@dataclass(frozen=True)
class Tile:
    key: str
    value: int | None  # minor units, days, or basis points (a rate: 9_250 = 92.5 %)
    previous: int | None  # the same last month
    unit: str  # money | bps | days
    currency: str = ""
    better: str = "up"  # which way is good: up | down

    @property
    def trend(self) -> int | None:
        """The change against last month: basis points for a rate or days, else per cent ×100."""
        if self.value is None or self.previous is None:
            return None
        if self.unit in ("bps", "days"):
            return self.value - self.previous
        if self.previous == 0:
            return None
        return (self.value - self.previous) * 10_000 // self.previous

    @property
    def good(self) -> bool | None:
        t = self.trend
        if not t:
            return None
        return (t > 0) == (self.better == "up")


@dataclass(frozen=True)
class Dashboard:
    month: date
    currency: str
    tiles: list[Tile]
    months: list[date]  # the 12 months of the chart, oldest first
    expected: list[int]
    collected: list[int]
    has_data: bool = True


@dataclass(frozen=True)
class StaffDashboard:
    month: date
    gmv: dict[str, int]  # currency -> amount paid in this month (every organization)
    gmv_previous: dict[str, int]
    organizations: int  # with a figure this month
    units: int  # units under management (the last snapshot)
    success: dict[str, tuple[int, int]]  # provider -> (succeeded, failed), last 7 days
    top: list[tuple[str, int, str]] = field(default_factory=list)  # (organization, collected, currency)
    mrr: dict[str, int] = field(default_factory=dict)  # currency -> monthly recurring revenue (billing)
    par30_bps: dict[str, int] = field(default_factory=dict)  # currency -> loans owed > 30 days late / book
    tontine: dict[str, int] = field(default_factory=dict)  # currency -> contributions this month


def _month(day: date) -> date:
    return day.replace(day=1)


def _minus_months(day: date, n: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 - n, 12)
    return date(y, m + 1, 1)


def _rate(part: int, whole: int) -> int | None:
    return part * 10_000 // whole if whole else None


def _build(rows_sum, rows_gauge, *, month: date, currency: str) -> Dashboard:
    """rows_sum: (period, metric, currency, value, count); rows_gauge: (period, metric, currency, value)."""
    by: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    currencies: dict[str, int] = defaultdict(int)
    for period, metric, cur, value, count in rows_sum:
        if cur:
            currencies[cur] += abs(value)
        cell = by[(period, metric, cur)]
        cell[0] += value
        cell[1] += count
    currency = currency or (max(currencies, key=currencies.get) if currencies else "XOF")

    def v(metric, period, cur=currency):
        return by.get((period, metric, cur), [0, 0])[0]

    def c(metric, period):
        return by.get((period, metric, ""), [0, 0])

    last = _minus_months(month, 1)
    # gauges: the last snapshot of each month
    latest: dict[tuple, date] = {}
    gauge_vals: dict[tuple, int] = defaultdict(int)
    for period, metric, _cur, _value in rows_gauge:
        key = (_month(period), metric)
        latest[key] = max(latest.get(key, date.min), period)
    for period, metric, cur, value in rows_gauge:
        if latest[(_month(period), metric)] == period and cur == currency:
            gauge_vals[(_month(period), metric)] += value

    def tile_rate(key, part_metric, whole_metric):
        now = _rate(v(part_metric, month), v(whole_metric, month))
        before = _rate(v(part_metric, last), v(whole_metric, last))
        return Tile(key, now, before, "bps")

    def occupancy(period):
        total = by.get((period, "units.total_days", ""), [0, 0])[0]
        return _rate(by.get((period, "units.occupied_days", ""), [0, 0])[0], total)

    def days(period):
        value, count = c("rent.days_to_pay", period)
        return value // count if count else None

    def gauge(metric, period):
        key = (period, metric)
        return gauge_vals[key] if key in latest else None

    tiles = [
        Tile("collected", v("rent.collected", month), v("rent.collected", last), "money", currency),
        Tile("expected", v("rent.expected", month), v("rent.expected", last), "money", currency),
        tile_rate("collection_rate", "rent.collected", "rent.expected"),
        tile_rate("on_time_rate", "rent.paid_on_time", "rent.expected"),
        Tile("occupancy", occupancy(month), occupancy(last), "bps"),
        Tile(
            "arrears",
            gauge("arrears.balance", month),
            gauge("arrears.balance", last),
            "money",
            currency,
            "down",
        ),
        Tile("deposits", gauge("deposits.held", month), gauge("deposits.held", last), "money", currency),
        Tile("days_to_pay", days(month), days(last), "days", better="down"),
        Tile("commission", v("rent.commission", month), v("rent.commission", last), "money", currency),
        tile_rate("recovery_rate", "recovery.recovered", "recovery.closed"),
    ]
    months = [_minus_months(month, n) for n in range(11, -1, -1)]
    return Dashboard(
        month=month,
        currency=currency,
        tiles=tiles,
        months=months,
        expected=[v("rent.expected", m) for m in months],
        collected=[v("rent.collected", m) for m in months],
        has_data=bool(by) or bool(gauge_vals),
    )


def _window(today: date) -> tuple[date, date]:
    month = _month(today)
    return month, _minus_months(month, 11)


def agency_dashboard(organization: UUID, *, today: date, currency: str = "") -> Dashboard:
    """The organization's figures (scope « org »): two queries."""
    month, first = _window(today)
    base = Rollup.objects.filter(organization=organization, scope="org", scope_id=organization)
    rows_sum = base.filter(grain="m", metric__in=SUMS, period__gte=first, period__lte=month).values_list(
        "period", "metric", "currency", "value", "count"
    )
    rows_gauge = base.filter(
        grain="d", metric__in=GAUGES, period__gte=_minus_months(month, 1), period__lte=today
    ).values_list("period", "metric", "currency", "value")
    return _build(list(rows_sum), list(rows_gauge), month=month, currency=currency)


def owner_dashboard(owners: list[UUID], *, today: date, currency: str = "") -> Dashboard:
    """An owner's figures: their properties, across every agency that manages them (scope
    « owner »)."""
    month, first = _window(today)
    base = Rollup.objects.filter(scope="owner", scope_id__in=list(owners))
    rows_sum = base.filter(grain="m", metric__in=SUMS, period__gte=first, period__lte=month).values_list(
        "period", "metric", "currency", "value", "count"
    )
    rows_gauge = base.filter(
        grain="d", metric__in=GAUGES, period__gte=_minus_months(month, 1), period__lte=today
    ).values_list("period", "metric", "currency", "value")
    return _build(list(rows_sum), list(rows_gauge), month=month, currency=currency)


def staff_dashboard(*, today: date) -> StaffDashboard:
    """Every organization: GMV (money paid in), organizations active, units under management,
    each provider's success over the last 7 days, the largest collectors this month."""
    month = _month(today)
    last = _minus_months(month, 1)
    org_rows = Rollup.objects.filter(scope="org", grain="m")
    gmv: dict[str, int] = defaultdict(int)
    gmv_previous: dict[str, int] = defaultdict(int)
    for period, cur, total in (
        org_rows.filter(metric="payments.amount", period__in=[month, last])
        .values_list("period", "currency")
        .annotate(t=Sum("value"))
    ):
        (gmv if period == month else gmv_previous)[cur] += int(total or 0)
    organizations = (
        org_rows.filter(period=month)
        .exclude(organization=UUID(PLATFORM))
        .values("organization")
        .distinct()
        .count()
    )
    last_day = Rollup.objects.filter(scope="org", grain="d", metric="units.total_days").aggregate(
        d=Max("period")
    )["d"]
    units = 0
    if last_day is not None:
        units = int(
            Rollup.objects.filter(
                scope="org", grain="d", metric="units.total_days", period=last_day
            ).aggregate(t=Sum("value"))["t"]
            or 0
        )
    success: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for metric, provider, n in (
        Rollup.objects.filter(
            Q(metric="payments.succeeded") | Q(metric="payments.failed"),
            scope="org",
            grain="d",
            period__gt=today - timedelta(days=7),
            period__lte=today,
        )
        .values_list("metric", "dimension")
        .annotate(n=Sum("count"))
    ):
        success[split_outcome_key(provider)[0]][0 if metric == "payments.succeeded" else 1] += int(n or 0)
    top = [
        (str(org), int(total or 0), cur)
        for org, cur, total in org_rows.filter(metric="rent.collected", period=month)
        .values_list("organization", "currency")
        .annotate(t=Sum("value"))
        .order_by("-t")[:10]
    ]
    platform = UUID(PLATFORM)

    def last_gauge(metric: str) -> list[tuple[str, str, int]]:
        rows = Rollup.objects.filter(
            organization=platform, scope="org", grain="d", metric=metric, period__lte=today
        )
        day = rows.aggregate(d=Max("period"))["d"]
        return list(rows.filter(period=day).values_list("dimension", "currency", "value")) if day else []

    mrr = {cur: value for _dim, cur, value in last_gauge("billing.mrr")}
    book: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for bucket, cur, value in last_gauge("loans.outstanding"):
        book[cur][0] += value
        if bucket in ("31-60", "61-90", "90+"):
            book[cur][1] += value
    par30 = {cur: (late * 10_000 // owed if owed else 0) for cur, (owed, late) in book.items()}
    tontine: dict[str, int] = defaultdict(int)
    for cur, total in (
        Rollup.objects.filter(
            organization=platform, scope="org", grain="m", metric="tontine.contributions", period=month
        )
        .values_list("currency")
        .annotate(t=Sum("value"))
    ):
        tontine[cur] += int(total or 0)
    return StaffDashboard(
        month=month,
        mrr=mrr,
        par30_bps=par30,
        tontine=dict(tontine),
        gmv=dict(gmv),
        gmv_previous=dict(gmv_previous),
        organizations=organizations,
        units=units,
        success={k: (v[0], v[1]) for k, v in success.items()},
        top=top,
    )


# --- the caller's dashboard, for the pages' panels and the apps (REST, GraphQL) ---------------


def tile_label(key: str) -> str:
    return {
        "collected": gettext("Received this month, all rent"),
        "expected": gettext("Billed this month"),
        "collection_rate": gettext("Collection rate"),
        "on_time_rate": gettext("Paid on time"),
        "occupancy": gettext("Occupancy"),
        "arrears": gettext("Arrears"),
        "deposits": gettext("Deposits held"),
        "days_to_pay": gettext("Days to pay after the notice"),
        "commission": gettext("Commission earned"),
        "recovery_rate": gettext("Recovery rate"),
    }[key]


def dashboard_of(
    actor, *, view: str = "agency", organization=None, today: date
) -> tuple[UUID | None, Dashboard]:
    """The caller's own figures: `agency`, an organization whose reports they may read (the
    first, or `organization`; NotFound otherwise); `owner`, the properties of the owner
    organizations they belong to, across the agencies that manage them."""
    from apps.identity import api as identity

    from .reports import report_organization

    if view == "owner":
        ids = identity.organization_ids_of(actor) if actor.is_authenticated else set()
        owners = list(identity.organization_public_ids(ids).values())
        with replica_reads():  # the figures on the replica when there is one, not the checks
            return None, owner_dashboard(owners, today=today)
    org = report_organization(actor, organization)
    with replica_reads():
        return org.public_id, agency_dashboard(org.public_id, today=today)


def dashboard_json(organization: UUID | None, view: str, board: Dashboard) -> dict:
    """The REST / GraphQL shape: every tile (a figure with no value either month is still
    listed, as null), amounts in minor units, rates in basis points, days as days."""
    return {
        "view": view,
        "organization": organization,
        "month": board.month,
        "currency": board.currency,
        "has_data": board.has_data,
        "tiles": [
            {
                "key": t.key,
                "label": tile_label(t.key),
                "unit": t.unit,
                "currency": t.currency,
                "value": t.value,
                "previous": t.previous,
                "trend": t.trend,
                "better": t.better,
            }
            for t in board.tiles
        ],
        "months": board.months,
        "expected": board.expected,
        "collected": board.collected,
    }
