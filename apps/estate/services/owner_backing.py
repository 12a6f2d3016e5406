"""Set-based read of owner organizations' rents under management (lending's landlord
advances: « Avance sur loyers » is backed by them). Three queries whatever the number of
owners; no per-lease work in Python.

For each owner organization (the `owner` of the properties, whoever manages them) and one
currency:
- the last `months` full months before `today`'s month, oldest first: the rent billed (dues of
  kind « rent », written-off dues included: billed is billed), what was collected on them, and
  the owner's net share of it (collected less the manager's commission of each due, rounded
  down per due; an owner managing alone has no commission);
- the next `ahead` months from `today`'s month: the rent of the active leases running in that
  month (signed on or before its last day, not ended before its first day) and the owner's net
  share (less the mandate's commission);
- the first month ever billed (how long the rents have been under management in Hokwe).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Count, F, IntegerField, Min, Q, Sum, Value
from django.db.models.functions import Coalesce

from ..contracts import DueKind, LeaseStatus
from ..domain import add_months, month_end, month_start
from ..models import Lease, RentDue


@dataclass(frozen=True)
class OwnerRentMonth:
    period: date  # first day of the month
    billed: int
    collected: int
    net: int  # the owner's share of `collected` (less the commission)


@dataclass(frozen=True)
class OwnerRentBacking:
    owner: UUID  # the owner organization's public id
    currency: str
    history: tuple[OwnerRentMonth, ...]  # the last full months, oldest first (zeros included)
    expected: tuple[OwnerRentMonth, ...]  # the months ahead: billed = net = expected, collected 0
    first_period: date | None  # the first month ever billed, None: never
    active_leases: int

    @property
    def billed(self) -> int:
        return sum(m.billed for m in self.history)

    @property
    def collected(self) -> int:
        return sum(m.collected for m in self.history)

    @property
    def net(self) -> int:
        return sum(m.net for m in self.history)

    @property
    def months_collected(self) -> int:
        """Months of the history with money collected."""
        return sum(1 for m in self.history if m.collected > 0)

    @property
    def collection_rate_bps(self) -> int:
        """Collected over billed, basis points (0 when nothing was billed)."""
        return self.collected * 10_000 // self.billed if self.billed else 0


def owner_rent_backing(
    owner_ids: Iterable[UUID], *, currency: str, today: date, months: int = 12, ahead: int = 3
) -> dict[UUID, OwnerRentBacking]:
    """{owner public id: OwnerRentBacking} for every owner asked (an owner with nothing under
    management gets zeros)."""
    owners = sorted({UUID(str(o)) for o in owner_ids})
    if not owners:
        return {}
    this_month = month_start(today)
    start = add_months(this_month, -months)
    owner_path = "lease__unit__property__owner__public_id"
    dues = RentDue.objects.filter(kind=DueKind.RENT, currency=currency, **{f"{owner_path}__in": owners})
    per_month = (
        dues.filter(period__gte=start, period__lt=this_month)
        .values(owner=F(owner_path), month=F("period"))
        .annotate(
            billed=Sum("total"),
            collected=Sum("paid"),
            commission=Sum(F("paid") * F("commission_bps") / Value(10_000), output_field=IntegerField()),
        )
    )
    cells: dict[tuple[UUID, date], tuple[int, int, int]] = {}
    for row in per_month:
        collected = row["collected"] or 0
        cells[(row["owner"], row["month"])] = (
            row["billed"] or 0,
            collected,
            collected - (row["commission"] or 0),
        )
    first = dict(dues.values_list(owner_path).annotate(first=Min("period")).values_list(owner_path, "first"))

    # the months ahead: one conditional sum per month over the active leases
    lease_owner = "unit__property__owner__public_id"
    commission = Coalesce("unit__property__mandate__commission_bps", Value(0))
    annotations: dict = {"active": Count("id")}
    periods = [add_months(this_month, i) for i in range(ahead)]
    for i, period in enumerate(periods):
        running = Q(start_date__lte=month_end(period)) & (Q(end_date__isnull=True) | Q(end_date__gte=period))
        annotations[f"rent_{i}"] = Coalesce(Sum("rent", filter=running), 0)
        annotations[f"commission_{i}"] = Coalesce(
            Sum(F("rent") * commission / Value(10_000), filter=running, output_field=IntegerField()), 0
        )
    leases = (
        Lease.objects.filter(status=LeaseStatus.ACTIVE, currency=currency, **{f"{lease_owner}__in": owners})
        .values(owner=F(lease_owner))
        .annotate(**annotations)
    )
    ahead_rows = {row["owner"]: row for row in leases}

    out: dict[UUID, OwnerRentBacking] = {}
    for owner in owners:
        history = tuple(
            OwnerRentMonth(period, *cells.get((owner, period), (0, 0, 0)))
            for period in (add_months(start, i) for i in range(months))
        )
        row = ahead_rows.get(owner)
        expected = tuple(
            OwnerRentMonth(
                period,
                billed=row[f"rent_{i}"] if row else 0,
                collected=0,
                net=(row[f"rent_{i}"] - row[f"commission_{i}"]) if row else 0,
            )
            for i, period in enumerate(periods)
        )
        out[owner] = OwnerRentBacking(
            owner=owner,
            currency=currency,
            history=history,
            expected=expected,
            first_period=first.get(owner),
            active_leases=row["active"] if row else 0,
        )
    return out
