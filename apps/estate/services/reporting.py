"""Row-level reads for analytics' reports (HokweReporting): the rent roll,
the properties with their owners, the expenses per property. Every read is scoped by
the managing organization's public id, set-based (a few queries per batch of leases, nothing
per row) and returns frozen dataclasses (contracts.py); the long lists are iterators."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta
from uuid import UUID

from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import Coalesce

from ..contracts import (
    OPEN_DUE_STATUSES,
    DueKind,
    DueStatus,
    LeaseStatus,
    PropertyExpenses,
    RentRollRow,
    ReportProperty,
)
from ..models import Expense, Lease, LeaseTenant, Property, RentDue

BATCH = 2000


def _scoped(qs, *, organization: UUID, property: UUID | None, owner: UUID | None, prefix: str):
    qs = qs.filter(organization__public_id=organization)
    if property is not None:
        qs = qs.filter(**{f"{prefix}public_id": property})
    if owner is not None:
        qs = qs.filter(**{f"{prefix}owner__public_id": owner})
    return qs


def report_properties(organization: UUID, *, owner: UUID | None = None) -> list[ReportProperty]:
    """The organization's properties with their owners, by name. One query."""
    rows = _scoped(
        Property.objects.all(), organization=organization, property=None, owner=owner, prefix=""
    ).values("public_id", "name", "owner__public_id", "owner__name", "city")
    return [
        ReportProperty(
            public_id=r["public_id"],
            name=r["name"],
            owner=r["owner__public_id"],
            owner_name=r["owner__name"],
            city=r["city"],
        )
        for r in rows.order_by("name", "id")
    ]


def _primary_tenants(lease_ids: list[int]) -> dict[int, dict]:
    found: dict[int, dict] = {}
    for t in (
        LeaseTenant.objects.filter(lease_id__in=lease_ids)
        .order_by("lease_id", "-is_primary", "id")
        .values("lease_id", "user__full_name", "user__phone")
    ):
        found.setdefault(t["lease_id"], t)
    return found


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


LEASE_FIELDS = (
    "id",
    "public_id",
    "reference",
    "status",
    "start_date",
    "end_date",
    "rent",
    "charges",
    "currency",
    "deposit_amount",
    "deposit_paid",
    "credit",
    "paid_up_to",
    "unit__public_id",
    "unit__label",
    "unit__property__public_id",
    "unit__property__name",
    "unit__property__owner__public_id",
)


def rent_roll(
    organization: UUID, *, on: date, property: UUID | None = None, owner: UUID | None = None
) -> Iterator[RentRollRow]:
    """Every lease in force on `on` (signed, not canceled, started, not ended before), by
    property and unit. Three queries per batch of 2,000 leases."""
    leases = (
        _scoped(
            Lease.objects.all(),
            organization=organization,
            property=property,
            owner=owner,
            prefix="unit__property__",
        )
        .filter(status__in=[LeaseStatus.ACTIVE, LeaseStatus.ENDED], start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .values(*LEASE_FIELDS)
        .order_by("unit__property__name", "unit__property__id", "unit__label", "id")
    )
    batch: list[dict] = []
    for row in leases.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) >= BATCH:
            yield from _rent_roll_rows(batch, on)
            batch = []
    if batch:
        yield from _rent_roll_rows(batch, on)


def _rent_roll_rows(batch: list[dict], on: date) -> Iterator[RentRollRow]:
    ids = [r["id"] for r in batch]
    open_owing = Q(status__in=OPEN_DUE_STATUSES, paid__lt=F("total"))
    dues = {
        r["lease_id"]: r
        for r in RentDue.objects.filter(lease_id__in=ids)
        .values("lease_id")
        .annotate(
            balance=Coalesce(Sum(F("total") - F("paid"), filter=open_owing & Q(due_date__lte=on)), 0),
            oldest_open=Min("period", filter=open_owing & Q(kind=DueKind.RENT)),
            last_paid=Max("period", filter=Q(status=DueStatus.PAID, kind=DueKind.RENT)),
        )
        .order_by()
    }
    tenants = _primary_tenants(ids)
    for lease in batch:
        d = dues.get(lease["id"], {})
        oldest, last = d.get("oldest_open"), d.get("last_paid")
        if oldest is not None:
            paid_up_to = oldest - timedelta(days=1) if last and last < oldest else lease["paid_up_to"]
        else:
            paid_up_to = _month_end(last) if last else lease["paid_up_to"]
        tenant = tenants.get(lease["id"], {})
        yield RentRollRow(
            lease=lease["public_id"],
            reference=lease["reference"],
            status=LeaseStatus(lease["status"]),
            property=lease["unit__property__public_id"],
            property_name=lease["unit__property__name"],
            owner=lease["unit__property__owner__public_id"],
            unit=lease["unit__public_id"],
            unit_label=lease["unit__label"],
            tenant_name=tenant.get("user__full_name") or "",
            tenant_phone=str(tenant.get("user__phone") or ""),
            start_date=lease["start_date"],
            end_date=lease["end_date"],
            rent=lease["rent"],
            charges=lease["charges"],
            deposit=lease["deposit_amount"],
            deposit_held=lease["deposit_paid"],
            balance=d.get("balance") or 0,
            credit=lease["credit"],
            currency=lease["currency"],
            paid_up_to=paid_up_to,
        )


def property_expenses(
    organization: UUID,
    *,
    start: date,
    end: date,
    property: UUID | None = None,
    owner: UUID | None = None,
) -> list[PropertyExpenses]:
    """The expenses incurred on each property from `start` to `end` (inclusive), per currency.
    One query."""
    rows = (
        _scoped(
            Expense.objects.filter(incurred_on__gte=start, incurred_on__lte=end),
            organization=organization,
            property=property,
            owner=owner,
            prefix="property__",
        )
        .values("property__public_id", "currency")
        .annotate(amount=Sum("amount"), n=Count("id"))
        .order_by("property__public_id", "currency")
    )
    return [
        PropertyExpenses(
            property=r["property__public_id"], currency=r["currency"], amount=r["amount"] or 0, count=r["n"]
        )
        for r in rows
    ]
