"""PUBLIC: what other modules (recovery, market, scoring) may call in estate.

    from apps.estate import api as estate
    estate.lease(lease_public_id)             -> LeaseInfo
    estate.open_dues(lease_public_id)         -> [DueInfo]   (oldest first)
    estate.overdue_dues(organization_public_id, limit=500) -> [DueInfo]
    estate.arrears(organizations=[…], today=…, leases=None) -> iterator of ArrearsRow
        (set-based: one aggregate query over the dues, one for the leases, per 2,000 leases)
    estate.lease_debt_intent(lease_public_id, amount=…, idempotency_key=…) -> IntentInfo
        (a pay link for part or all of a lease's debt, applied oldest due first)
    estate.record_cash(actor=…, lease_public_id, amount=…, idempotency_key=…) -> PaymentInfo
    estate.apply_late_fees(lease_public_id, today=…) -> int   (the lease policy; idempotent)

Every function returns frozen dataclasses (contracts.py) and raises DomainError subclasses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from uuid import UUID

from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import Coalesce

from apps.core.errors import NotFound

from .contracts import (
    OPEN_DUE_STATUSES,
    ArrearsRow,
    DueInfo,
    DueReminder,
    DueStatus,
    LeaseInfo,
    LeaseStatus,
    PaymentInfo,
)
from .models import Lease, LeaseTenant, RentDue

__all__ = [
    "apply_late_fees",
    "due_payment_intent",
    "arrears",
    "lease",
    "lease_debt_intent",
    "open_dues",
    "overdue_dues",
    "record_cash",
    "rent_due",
    "suspense_apply_to_due",
    "tenant_open_dues",
    "tenant_ticket_open",
    "upcoming_dues",
    "write_off_lease",
    "screening_unit",
    "screening_units_of",
    "valuation_leases",  # scoring (HokweValuation)
    "valuation_units",
    "tenant_rent_lines",
    "tenant_rent_summaries",
    "tenant_places",
    "tenants_after",
    "owner_rent_backing",  # lending (landlord advances)
    "vacant_units",  # market (listings)
    "unit_listing_facts",
    "maintenance_ticket_summary",  # market (local services)
    "report_properties",  # analytics (reports)
    "report_rent_roll",
    "report_expenses",
]


def _due_info(due: RentDue, lease_public_id: UUID) -> DueInfo:
    return DueInfo(
        public_id=due.public_id,
        lease=lease_public_id,
        period=due.period,
        due_date=due.due_date,
        status=DueStatus(due.status),
        total=due.total,
        paid=due.paid,
        currency=due.currency,
    )


def lease(public_id: UUID) -> LeaseInfo:
    row = (
        Lease.objects.select_related("organization", "unit__property__owner")
        .prefetch_related("lease_tenants__user")
        .filter(public_id=public_id)
        .first()
    )
    if row is None:
        raise NotFound()
    return LeaseInfo(
        public_id=row.public_id,
        reference=row.reference,
        organization=row.organization.public_id,
        owner=row.unit.property.owner.public_id,
        unit=row.unit.public_id,
        tenants=tuple(t.user.public_id for t in row.lease_tenants.all()),
        start_date=row.start_date,
        end_date=row.end_date,
        status=LeaseStatus(row.status),
        rent=row.rent,
        charges=row.charges,
        currency=row.currency,
        credit=row.credit,
    )


def open_dues(lease_public_id: UUID) -> list[DueInfo]:
    rows = RentDue.objects.filter(lease__public_id=lease_public_id, status__in=OPEN_DUE_STATUSES).order_by(
        "due_date"
    )
    return [_due_info(d, lease_public_id) for d in rows]


def overdue_dues(organization_public_id: UUID, *, limit: int = 500) -> list[DueInfo]:
    rows = (
        RentDue.objects.filter(organization__public_id=organization_public_id, status=DueStatus.OVERDUE)
        .select_related("lease")
        .order_by("due_date")[:limit]
    )
    return [_due_info(d, d.lease.public_id) for d in rows]


def _bucket(lo: date | None, hi: date | None):
    """Sum of what is owed on dues whose due date lies in [lo, hi] (None: open-ended)."""
    cond = Q()
    if lo is not None:
        cond &= Q(due_date__gte=lo)
    if hi is not None:
        cond &= Q(due_date__lte=hi)
    return Coalesce(Sum(F("total") - F("paid"), filter=cond), 0)


def arrears(
    *,
    today: date,
    organizations: Iterable[UUID] | None = None,
    leases: Iterable[UUID] | None = None,
    batch_size: int = 2000,
) -> Iterator[ArrearsRow]:
    """Every lease with something still owed (active or ended: a departed tenant's debt
    stays), aged by days past the due date. Set-based: the dues are summed in SQL, per
    batch of leases; nothing is loaded per due."""
    dues = RentDue.objects.filter(status__in=OPEN_DUE_STATUSES, paid__lt=F("total"))
    if organizations is not None:
        dues = dues.filter(organization__public_id__in=list(organizations))
    if leases is not None:
        dues = dues.filter(lease__public_id__in=list(leases))
    d = timedelta
    totals = (
        dues.values("lease_id")
        .annotate(
            current=_bucket(today, None),
            d1_30=_bucket(today - d(30), today - d(1)),
            d31_60=_bucket(today - d(60), today - d(31)),
            d61_90=_bucket(today - d(90), today - d(61)),
            d90_plus=_bucket(None, today - d(91)),
            overdue_n=Count("id", filter=Q(due_date__lt=today)),
            oldest=Min("due_date", filter=Q(due_date__lt=today)),
        )
        .order_by("lease_id")
    )
    batch: list[dict] = []
    for row in totals.iterator(chunk_size=batch_size):
        batch.append(row)
        if len(batch) >= batch_size:
            yield from _arrears_rows(batch)
            batch = []
    if batch:
        yield from _arrears_rows(batch)


def _arrears_rows(batch: list[dict]) -> Iterator[ArrearsRow]:
    ids = [r["lease_id"] for r in batch]
    leases = {
        row["id"]: row
        for row in Lease.objects.filter(pk__in=ids).values(
            "id",
            "public_id",
            "reference",
            "status",
            "end_date",
            "currency",
            "credit",
            "deposit_paid",
            "organization__public_id",
            "unit__public_id",
            "unit__label",
            "unit__property__public_id",
            "unit__property__name",
            "unit__property__city",
            "unit__property__neighbourhood",
            "unit__property__latitude",
            "unit__property__longitude",
            "unit__property__owner__public_id",
        )
    }
    tenants: dict[int, dict] = {}
    for t in (
        LeaseTenant.objects.filter(lease_id__in=ids)
        .order_by("lease_id", "-is_primary", "id")
        .values("lease_id", "user__public_id", "user__full_name", "user__phone")
    ):
        tenants.setdefault(t["lease_id"], t)
    for r in batch:
        lease = leases[r["lease_id"]]
        tenant = tenants.get(r["lease_id"], {})
        lat, lon = lease["unit__property__latitude"], lease["unit__property__longitude"]
        yield ArrearsRow(
            lease=lease["public_id"],
            lease_reference=lease["reference"],
            lease_status=LeaseStatus(lease["status"]),
            lease_end_date=lease["end_date"],
            organization=lease["organization__public_id"],
            owner=lease["unit__property__owner__public_id"],
            property=lease["unit__property__public_id"],
            property_name=lease["unit__property__name"],
            unit=lease["unit__public_id"],
            unit_label=lease["unit__label"],
            city=lease["unit__property__city"],
            neighbourhood=lease["unit__property__neighbourhood"],
            latitude="" if lat is None else str(lat),
            longitude="" if lon is None else str(lon),
            tenant=tenant.get("user__public_id"),
            tenant_name=tenant.get("user__full_name") or "",
            tenant_phone=str(tenant.get("user__phone") or ""),
            currency=lease["currency"],
            current=r["current"],
            d1_30=r["d1_30"],
            d31_60=r["d31_60"],
            d61_90=r["d61_90"],
            d90_plus=r["d90_plus"],
            overdue_dues=r["overdue_n"],
            oldest_overdue=r["oldest"],
            credit=lease["credit"],
            deposit_held=lease["deposit_paid"],
        )


def _lease_row(public_id: UUID) -> Lease:
    row = Lease.objects.select_related("organization", "unit__property").filter(public_id=public_id).first()
    if row is None:
        raise NotFound()
    return row


def lease_debt_intent(
    lease_public_id: UUID,
    *,
    amount: int,
    idempotency_key: str,
    description: str = "",
    metadata: dict | None = None,
):
    """A payment intent for `amount` (at most what the lease owes), credited to the
    receivable and applied to the lease's dues oldest first when paid. Returns payments'
    IntentInfo (its `pay_url` is the pay link)."""
    from .services.collections import lease_debt_intent as create

    return create(
        lease=_lease_row(lease_public_id),
        amount=amount,
        idempotency_key=idempotency_key,
        description=description,
        metadata=metadata or {},
    )


def _payment_info(payment) -> PaymentInfo:
    return PaymentInfo(
        public_id=payment.public_id,
        lease=payment.lease.public_id,
        amount=payment.amount,
        currency=payment.currency,
        method=payment.method,
        received_on=payment.received_on,
        receipt_number=payment.receipt_number,
        intent=payment.intent,
        to_credit=payment.to_credit,
    )


def record_cash(
    *, actor, lease_public_id: UUID, amount: int, idempotency_key: str, reference: str = ""
) -> PaymentInfo:
    """A collector (or manager) received cash for this lease: a numbered receipt at once
    (payments sends it by SMS), applied oldest due first. The same idempotency key returns
    the first payment (a retrying app is counted once)."""
    from .services.collections import payment_record

    payment = payment_record(
        actor=actor,
        lease=_lease_row(lease_public_id),
        amount=amount,
        method="cash",
        reference=reference,
        idempotency_key=idempotency_key,
    )
    return _payment_info(payment)


def apply_late_fees(lease_public_id: UUID, *, today: date) -> int:
    """Bring the lease's overdue dues' late fees up to its policy today (never twice)."""
    from .services.dues import late_fee_apply

    ids = RentDue.objects.filter(lease__public_id=lease_public_id, status=DueStatus.OVERDUE).values_list(
        "id", flat=True
    )
    return sum(late_fee_apply(due_id=due_id, today=today) for due_id in ids)


def upcoming_dues(*, organization: UUID, due_from: date, due_to: date) -> list[DueReminder]:
    """Open, unpaid dues of the organization falling due in [due_from, due_to], with the
    primary tenant and the due's pay link (for reminders before the due date)."""
    from django.conf import settings
    from django.urls import reverse

    rows = list(
        RentDue.objects.filter(
            organization__public_id=organization,
            due_date__gte=due_from,
            due_date__lte=due_to,
            status__in=[DueStatus.UPCOMING, DueStatus.DUE, DueStatus.PARTIALLY_PAID],
            paid__lt=F("total"),
        ).values(
            "id",
            "public_id",
            "lease_id",
            "lease__public_id",
            "due_date",
            "total",
            "paid",
            "currency",
            "pay_token",
            "lease__unit__label",
            "lease__unit__property__name",
        )
    )
    tenants: dict[int, dict] = {}
    for t in (
        LeaseTenant.objects.filter(lease_id__in={r["lease_id"] for r in rows})
        .order_by("lease_id", "-is_primary", "id")
        .values("lease_id", "user__public_id", "user__full_name", "user__phone")
    ):
        tenants.setdefault(t["lease_id"], t)
    base = (
        settings.ESTATE_PUBLIC_BASE_URL or settings.PAYMENT_PUBLIC_BASE_URL or "https://hokwe.com"
    ).rstrip("/")
    out = []
    for r in rows:
        tenant = tenants.get(r["lease_id"], {})
        out.append(
            DueReminder(
                due=r["public_id"],
                lease=r["lease__public_id"],
                organization=organization,
                due_date=r["due_date"],
                outstanding=r["total"] - r["paid"],
                currency=r["currency"],
                tenant=tenant.get("user__public_id"),
                tenant_name=tenant.get("user__full_name") or "",
                tenant_phone=str(tenant.get("user__phone") or ""),
                property_name=f"{r['lease__unit__property__name']}, {r['lease__unit__label']}",
                pay_url=base + reverse("estate:pay-due", args=[r["pay_token"]]),
            )
        )
    return out


def write_off_lease(*, actor, lease_public_id: UUID, reason: str = "") -> int:
    """Write off every open due of the lease (the manager gives up the debt); returns the
    amount written off. Permission-checked by estate (finance roles)."""
    from django.db import transaction

    from .services.dues import due_write_off

    total = 0
    with transaction.atomic():  # all the dues or none
        for due in RentDue.objects.filter(
            lease__public_id=lease_public_id, status__in=OPEN_DUE_STATUSES
        ).order_by("due_date"):
            total += due.outstanding
            due_write_off(actor=actor, due=due, reason=reason)
    return total


def suspense_apply_to_due(*, actor, item: UUID, due: UUID, reason: str = "", idempotency_key: str = ""):
    """Finance staff apply money held in payments' suspense (the reconciliation item's
    public id) to a rent due: the due's payment intent is opened or reused, then
    payments.suspense_apply credits it (same amount as the due still owes, or refused).
    Returns payments' SuspenseDecisionInfo."""
    from .services.suspense import suspense_apply_to_due as apply

    row = RentDue.objects.filter(public_id=due).first()
    if row is None:
        raise NotFound()
    return apply(actor=actor, item=item, due=row, reason=reason, idempotency_key=idempotency_key)


def rent_due(public_id: UUID) -> DueInfo:
    """One rent due by its public id, whatever its status (wallet's HokweSplit reads the
    target, the date and what is still owed). NotFound when there is none."""
    row = RentDue.objects.select_related("lease").filter(public_id=public_id).first()
    if row is None:
        raise NotFound()
    return _due_info(row, row.lease.public_id)


def tenant_open_dues(user_public_id: UUID) -> list[DueInfo]:
    """The open dues (pending, partly paid, overdue) of every lease the user is a tenant of,
    oldest first (the wallet's « pay my rent »). One query."""
    rows = (
        RentDue.objects.filter(
            lease__lease_tenants__user__public_id=user_public_id, status__in=OPEN_DUE_STATUSES
        )
        .select_related("lease")
        .order_by("due_date", "id")
        .distinct()
    )
    return [_due_info(d, d.lease.public_id) for d in rows]


def due_payment_intent(due: UUID, *, payer: UUID):
    """The payment intent for what is still owed on `due`, for `payer` who must be one of the
    lease's tenants (NotFound otherwise: another tenant's due is never shown). Reuses the due's
    open intent as a pay link does; NothingDue when nothing is owed. Returns payments'
    IntentInfo: pay it (payments.pay_from_account) and estate's handlers apply the payment
    and issue the quittance."""
    from .services.collections import due_intent

    row = (
        RentDue.objects.filter(public_id=due, lease__lease_tenants__user__public_id=payer)
        .select_related("lease")
        .first()
    )
    if row is None:
        raise NotFound()
    tenant = LeaseTenant.objects.select_related("user").get(lease_id=row.lease_id, user__public_id=payer)
    return due_intent(row, payer=tenant.user)


# --- tenant screening (scoring S4): a unit as screening reads it --------------------------------


def screening_unit(unit_public_id):
    """A unit for tenant screening: label, managing organization, rent asked, currency and the
    legal deposit cap of its country (UnitSummary). NotFound otherwise; no access check."""
    from .services.screening_units import unit_summary

    return unit_summary(unit_public_id)


def screening_units_of(organization_ids, *, limit: int = 500):
    """The units of these organizations (internal ids) as UnitSummary, by property and label
    (the screening form's choices). One query."""
    from .services.screening_units import units_of

    return units_of(organization_ids, limit=limit)


# --- scoring's HokweValuation (set-based reads: services/valuation_facts.py) ----------------------


def valuation_units(*, actor=None, units=None, property=None) -> list:
    """The valuation facts (ValuationUnit: place, kind, rooms, surface, furnishing, currency,
    the active lease's rent) of the given units' public ids, or of every unit of `property`;
    scoped to the organizations `actor` manages when given (another organization's unit is
    simply absent). Two queries."""
    from .selectors import managed_ids
    from .services.valuation_facts import valuation_units as read

    scope = None if actor is None else managed_ids(actor)
    return read(units=None if units is None else list(units), property=property, organization_ids=scope)


def valuation_leases(
    *, since=None, currency=None, kinds=None, box=None, cities=None, exclude_units=None, limit=None
) -> list:
    """Agreed rents (ValuationLease: the unit's facts, the rent, when it was agreed) of every
    organization's active or ended leases, newest first: comparables and training rows.
    `box` = (lat_min, lat_max, lon_min, lon_max) and/or `cities` narrow by place. One query."""
    from .services.valuation_facts import valuation_leases as read

    return read(
        since=since,
        currency=currency,
        kinds=kinds,
        box=box,
        cities=cities,
        exclude_units=exclude_units,
        limit=limit,
    )


# --- scoring (the rent score's features): tenants' rent history, set-based ---


def tenant_rent_lines(user_ids, *, today: date, months: int = 24):
    """{user public id: [TenantRentLine]}: each month's rent due of the last `months` months
    of every lease the users are tenants of, with how it was paid (on_time, late_1_29,
    late_30_59, late_60_plus, partial, unpaid; services/scoring_reads.py). One query."""
    from .services.scoring_reads import tenant_rent_lines as lines

    return lines(user_ids, today=today, months=months)


def tenant_rent_summaries(user_ids, *, today: date):
    """{user public id: TenantRentSummary}: the same lines counted over 12 months, and the
    tenure. Two queries, whatever the number of users (the nightly rescore)."""
    from .services.scoring_reads import tenant_rent_summaries as summaries

    return summaries(user_ids, today=today)


def tenant_places(user_ids):
    """{user public id: TenantPlace(country, city)} of each user's most recent lease (scoring's
    fairness report). One query."""
    from .services.scoring_reads import tenant_places as places

    return places(user_ids)


def tenants_after(after: UUID | None = None, *, limit: int = 2000) -> list[UUID]:
    """Public ids of every lease tenant, in order, after `after` (keyset pages)."""
    from .services.scoring_reads import tenants_after as page

    return page(after, limit=limit)


# --- lending's landlord advances: an owner's rents under management, set-based ---


def owner_rent_backing(owner_ids, *, currency: str, today: date, months: int = 12, ahead: int = 3):
    """{owner organization public id: OwnerRentBacking}: the rents of the properties each owner
    organization owns (whoever manages them), in `currency`: per month over the last `months`
    full months, billed, collected and the owner's net share (less the commission); the next
    `ahead` months expected from the active leases; the first month ever billed
    (services/owner_backing.py). Three queries, whatever the number of owners."""
    from .services.owner_backing import owner_rent_backing as read

    return read(owner_ids, currency=currency, today=today, months=months, ahead=ahead)


# --- market's listings: the vacant units to publish, a unit's facts for its listing ---


def vacant_units(organization_ids) -> list:
    """The vacant units (VacantUnit) of these organizations (internal ids), by property and
    label: the « publish a vacant unit » list. Two queries."""
    from .services.market_reads import vacant_units as read

    return read(organization_ids)


def unit_listing_facts(unit_id: UUID):
    """A unit's facts for its listing (UnitListingFacts: kind, rooms, the real rent, charges,
    deposit and advance months of its last lease, place and GPS, photos). NotFound otherwise;
    no access check (the caller checks it manages `organization_id`)."""
    from .services.market_reads import unit_listing_facts as read

    return read(unit_id)


# --- market's local services: an agency sends a maintenance ticket to a provider ---


def maintenance_ticket_summary(actor_org_ids, ticket_id):
    """A maintenance ticket of one of `actor_org_ids` (internal ids of the caller's
    organizations) as a MaintenanceTicketSummary: title, description, status, the property's
    city and neighbourhood, the unit's label. NotFound for another organization's ticket."""
    from .contracts import MaintenanceTicketSummary
    from .models import Ticket

    try:
        wanted = ticket_id if isinstance(ticket_id, UUID) else UUID(str(ticket_id))
    except (TypeError, ValueError):
        raise NotFound() from None
    row = (
        Ticket.objects.select_related("property", "unit")
        .filter(public_id=wanted, organization_id__in=list(actor_org_ids or ()))
        .first()
    )
    if row is None:
        raise NotFound()
    return MaintenanceTicketSummary(
        public_id=row.public_id,
        organization_id=row.organization_id,
        title=row.title,
        description=row.description,
        status=row.status,
        city=row.property.city,
        neighbourhood=row.property.neighbourhood,
        unit_label=row.unit.label if row.unit_id else "",
    )


def tenant_ticket_open(*, actor, title: str, description: str = "", lease: UUID | None = None) -> tuple:
    """A tenant reports a problem (a leak, the electricity…) on their active lease (`lease`,
    or their only / latest active one): a maintenance ticket for the manager, as the tenant
    space opens it. NotFound when the caller rents nothing active. Returns (ticket public id,
    its title, the property's name)."""
    from django.db import transaction

    from .contracts import LeaseStatus
    from .models import Lease
    from .services.maintenance import ticket_open

    leases = Lease.objects.filter(lease_tenants__user_id=actor.pk, status=LeaseStatus.ACTIVE)
    if lease is not None:
        leases = leases.filter(public_id=lease)
    row = leases.select_related("unit__property").order_by("-start_date", "-id").first()
    if row is None:
        raise NotFound(field="lease")
    with transaction.atomic():
        ticket = ticket_open(actor=actor, title=title, description=description, lease=row)
    return ticket.public_id, ticket.title, row.unit.property.name


# --- analytics' reports (HokweReporting): row-level reads, scoped by organization ---------------


def report_properties(organization: UUID, *, owner: UUID | None = None) -> list:
    """The properties the organization (public id) manages, with their owner organizations
    (ReportProperty), by name: the reports' filters. One query; no access check (the caller
    checks the actor may read the organization's reports)."""
    from .services.reporting import report_properties as read

    return read(organization, owner=owner)


def report_rent_roll(
    organization: UUID, *, on: date, property: UUID | None = None, owner: UUID | None = None
):
    """The rent roll on `on`: an iterator of RentRollRow (each lease in force: unit, tenant,
    rent, charges, deposit, balance, paid-up-to), by property and unit; three queries per
    batch of 2,000 leases. No access check (the caller's)."""
    from .services.reporting import rent_roll

    return rent_roll(organization, on=on, property=property, owner=owner)


def report_expenses(
    organization: UUID, *, start: date, end: date, property: UUID | None = None, owner: UUID | None = None
) -> list:
    """The expenses per property and currency (PropertyExpenses) from `start` to `end`. One
    query. No access check (the caller's)."""
    from .services.reporting import property_expenses

    return property_expenses(organization, start=start, end=end, property=property, owner=owner)
