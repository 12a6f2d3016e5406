"""Reads, always scoped to what the actor may see:

* managers: the organizations where they hold a role (`organization_ids_of`);
* owners (the owner portal): properties whose owner organization they belong to;
* tenants: the leases they are a tenant of.

Anything else is NotFound (never a 403: another organization's data does not exist for you).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from apps.core.errors import NotFound
from apps.core.money import currency_of_country
from apps.identity import api as identity

from . import domain
from .contracts import DueKind, DueStatus, LeaseStatus, UnitStatus
from .errors import InvalidInput
from .models import (
    Announcement,
    Expense,
    ImportBatch,
    Inspection,
    Lease,
    LeaseTenant,
    Mandate,
    OwnerStatement,
    PaymentAllocation,
    Property,
    Quittance,
    RentDue,
    RentPayment,
    Ticket,
    Unit,
)


def managed_ids(actor, roles=None) -> set[int]:
    return identity.organization_ids_of(actor, roles)


def manages_any(actor) -> bool:
    """The actor's organizations manage properties (or could: an agency with no property yet)."""
    ids = managed_ids(actor)
    if not ids:
        return False
    if Property.objects.filter(organization_id__in=ids).exists():
        return True
    return not Property.objects.filter(owner_id__in=ids).exists()


def _uuid(value) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise NotFound()


def _one(qs, public_id):
    found = qs.filter(public_id=_uuid(public_id)).first()
    if found is None:
        raise NotFound()
    return found


# --- managers -----------------------------------------------------------------------------------


def properties_for(actor):
    return Property.objects.filter(organization_id__in=managed_ids(actor)).select_related(
        "owner", "organization"
    )


def property_get(actor, public_id) -> Property:
    return _one(properties_for(actor), public_id)


def units_for(actor):
    return Unit.objects.filter(organization_id__in=managed_ids(actor)).select_related("property")


def unit_get(actor, public_id) -> Unit:
    return _one(units_for(actor), public_id)


def mandates_for(actor):
    return Mandate.objects.filter(agency_id__in=managed_ids(actor)).select_related("owner", "agency")


def leases_for(actor):
    return Lease.objects.filter(organization_id__in=managed_ids(actor)).select_related(
        "unit__property", "organization"
    )


def lease_get(actor, public_id) -> Lease:
    return _one(leases_for(actor).prefetch_related("lease_tenants__user"), public_id)


def dues_for(actor):
    return RentDue.objects.filter(organization_id__in=managed_ids(actor)).select_related(
        "lease__unit__property"
    )


def due_get(actor, public_id) -> RentDue:
    return _one(dues_for(actor), public_id)


@dataclass(frozen=True)
class DueFilter:
    """THE filter set of rent dues, used by REST (`GET /estate/dues`), GraphQL
    (`estateDues`), the dues page and its CSV/XLSX exports alike. Every field is optional
    and they combine (AND):

    - `status`: one DueStatus value (upcoming, due, partially_paid, paid, overdue, written_off);
    - `period`: the month (any day of it; the first is stored);
    - `lease`, `property`: public ids;
    - `q`: a search in the due's reference, the unit's label and the tenants' names.
    """

    status: str | None = None
    period: date | None = None
    lease: UUID | None = None
    property: UUID | None = None
    q: str = ""

    def __post_init__(self):
        if self.status and self.status not in DueStatus.__members__.values():
            raise InvalidInput(field="status")
        if self.period is not None:
            object.__setattr__(self, "period", domain.month_start(self.period))
        for name in ("lease", "property"):
            value = getattr(self, name)
            if value and not isinstance(value, UUID):
                try:
                    object.__setattr__(self, name, UUID(str(value)))
                except ValueError:
                    raise InvalidInput(field=name) from None
        object.__setattr__(self, "q", (self.q or "").strip()[:100])


DUE_ORDERING = ("-due_date", "-id")


def dues_filtered(actor, filters: DueFilter | None = None):
    """The actor's dues matching `filters`, newest due date first."""
    filters = filters or DueFilter()
    qs = dues_for(actor)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.period:
        qs = qs.filter(period=filters.period)
    if filters.lease:
        qs = qs.filter(lease__public_id=filters.lease)
    if filters.property:
        qs = qs.filter(lease__unit__property__public_id=filters.property)
    if filters.q:
        matching = RentDue.objects.filter(
            Q(reference__icontains=filters.q)
            | Q(lease__unit__label__icontains=filters.q)
            | Q(lease__lease_tenants__user__full_name__icontains=filters.q)
        ).values("id")
        qs = qs.filter(id__in=matching)
    return qs.order_by(*DUE_ORDERING)


def payments_for(actor):
    return RentPayment.objects.filter(organization_id__in=managed_ids(actor)).select_related(
        "lease__unit__property"
    )


def quittances_for(actor):
    return Quittance.objects.filter(organization_id__in=managed_ids(actor)).select_related("due__lease")


def quittances_filtered(actor, *, q: str = "", period: date | None = None, kind: str | None = None):
    """The actor's receipts, newest first, narrowed by a search in the number and the tenants'
    names (`q`), the due's month (`period`, any day of it) and the due's kind (DueKind)."""
    qs = quittances_for(actor)
    q = (q or "").strip()[:100]
    if q:
        matching = Quittance.objects.filter(
            Q(number__icontains=q) | Q(due__lease__lease_tenants__user__full_name__icontains=q)
        ).values("id")
        qs = qs.filter(id__in=matching)
    if period is not None:
        qs = qs.filter(due__period=domain.month_start(period))
    if kind:
        if kind not in DueKind.__members__.values():
            raise InvalidInput(field="kind")
        qs = qs.filter(due__kind=kind)
    return qs.order_by("-issued_at", "-id")


def quittance_get(actor, public_id) -> Quittance:
    return _one(quittances_for(actor), public_id)


def tickets_for(actor):
    return Ticket.objects.filter(organization_id__in=managed_ids(actor)).select_related("property", "unit")


def ticket_get(actor, public_id) -> Ticket:
    return _one(tickets_for(actor), public_id)


def inspections_for(actor):
    return Inspection.objects.filter(organization_id__in=managed_ids(actor)).select_related(
        "lease__unit__property"
    )


def inspection_get(actor, public_id) -> Inspection:
    inspection = (
        Inspection.objects.filter(public_id=_uuid(public_id))
        .select_related("lease__unit__property", "organization")
        .prefetch_related("items")
        .first()
    )
    if inspection is None or not (
        identity.can(actor, "estate.portfolio.view", inspection)
        or identity.can(actor, "estate.tenant.view", inspection)
    ):
        raise NotFound()
    return inspection


def statements_for(actor):
    return OwnerStatement.objects.filter(organization_id__in=managed_ids(actor)).select_related("owner")


def statement_get(actor, public_id) -> OwnerStatement:
    statement = (
        OwnerStatement.objects.filter(public_id=_uuid(public_id))
        .select_related("owner", "organization")
        .first()
    )
    if statement is None or not (
        statement.organization_id in managed_ids(actor) or statement.owner_id in owner_ids(actor)
    ):
        raise NotFound()
    return statement


# --- owner statements (reads: a draft's figures are computed, never stored, here) -----------------


def statement_figures(*, organization_id: int, owner_id: int, period: date, carried_over: int = 0) -> dict:
    """The month's figures, read from the allocations and the expenses."""
    period = domain.month_start(period)
    end = domain.month_end(period)
    # a deposit is held for the tenant, never the owner's money: out of the statement (an
    # agency fee is in it, all of it commission: the owner's share of it is 0)
    allocations = PaymentAllocation.objects.filter(
        due__organization_id=organization_id,
        due__lease__unit__property__owner_id=owner_id,
        applied_on__gte=period,
        applied_on__lte=end,
    ).exclude(due__kind="deposit")
    totals = allocations.aggregate(collected=Sum("amount"), commission=Sum("commission"))
    by_property = (
        allocations.values("due__lease__unit__property__name")
        .annotate(collected=Sum("amount"), commission=Sum("commission"))
        .order_by("due__lease__unit__property__name")
    )
    expenses = Expense.objects.filter(
        organization_id=organization_id,
        property__owner_id=owner_id,
        incurred_on__lte=end,
        statement__isnull=True,
    )
    expense_rows = list(
        expenses.values("id", "label", "amount", "incurred_on", "property__name").order_by(
            "incurred_on", "id"
        )
    )
    collected = totals["collected"] or 0
    commission = totals["commission"] or 0
    expense_total = sum(e["amount"] for e in expense_rows) + carried_over
    share = collected - commission
    net = max(share - expense_total, 0)
    return {
        "collected": collected,
        "commission": commission,
        "expenses": expense_total,
        "carry": max(expense_total - share, 0),
        "net": net,
        "lines": [
            {
                "property": r["due__lease__unit__property__name"],
                "collected": r["collected"],
                "commission": r["commission"],
            }
            for r in by_property
        ],
        "expense_rows": [
            {
                "id": e["id"],
                "label": e["label"],
                "amount": e["amount"],
                "date": e["incurred_on"].isoformat(),
                "property": e["property__name"],
            }
            for e in expense_rows
        ],
    }


def carried_over(organization_id: int, owner_id: int, period: date) -> int:
    previous = (
        OwnerStatement.objects.filter(
            organization_id=organization_id, owner_id=owner_id, period__lt=period, status="closed"
        )
        .order_by("-period")
        .first()
    )
    if previous is None:
        return 0
    return max(previous.expenses - (previous.collected - previous.commission), 0)


def statement_as_of_now(statement: OwnerStatement) -> OwnerStatement:
    """A draft with its figures computed now, in memory (not saved); a closed one as is.
    A draft's currency is its portfolio's (the owner's units managed by the organization)."""
    if statement.status != OwnerStatement.Status.DRAFT:
        return statement
    org_id, owner_id, period = statement.organization_id, statement.owner_id, statement.period
    statement.currency = (
        portfolio_currency(
            units=Unit.objects.filter(organization_id=org_id, property__owner_id=owner_id),
            organization_ids={org_id},
        )
        or statement.currency
    )
    carried = carried_over(org_id, owner_id, period)
    figures = statement_figures(
        organization_id=org_id, owner_id=owner_id, period=period, carried_over=carried
    )
    statement.collected = figures["collected"]
    statement.commission = figures["commission"]
    statement.expenses = figures["expenses"]
    statement.carried_over = carried
    statement.net = figures["net"]
    statement.lines = {"properties": figures["lines"], "expenses": figures["expense_rows"]}
    return statement


def statement_scope(actor, *, owner_id, organization_id=None) -> tuple[int, int]:
    """(organization id, owner id) of the statements of owner `owner_id` (public id) that the
    actor's organizations manage (`organization_id`: that one of them). Else NotFound."""
    properties = properties_for(actor).filter(owner__public_id=_uuid(owner_id))
    if organization_id is not None:
        properties = properties.filter(organization__public_id=_uuid(organization_id))
    pair = properties.order_by("organization_id").values_list("organization_id", "owner_id").first()
    if pair is None:
        raise NotFound(field="owner")
    return pair


def statement_read(actor, *, owner_id, period: date, organization_id=None) -> OwnerStatement:
    """The statement of `period` for reading (REST GET /estate/statements, GraphQL
    `estateStatement`): a closed one as stored; a draft, stored or not yet (pk None), with
    its figures computed now, in memory. Nothing is written: preparing (storing) a draft is
    services.statement_get_or_refresh, on a POST or a mutation."""
    org_id, owner_pk = statement_scope(actor, owner_id=owner_id, organization_id=organization_id)
    period = domain.month_start(period)
    statement = (
        OwnerStatement.objects.filter(organization_id=org_id, owner_id=owner_pk, period=period)
        .select_related("owner", "organization")
        .first()
    ) or OwnerStatement(organization_id=org_id, owner_id=owner_pk, period=period)
    return statement_as_of_now(statement)


def statement_previews(actor, *, pairs, period: date) -> list[OwnerStatement]:
    """The statements of `period` for (organization id, owner id) `pairs`, for reading:
    a closed one as stored; a draft (stored or not yet: pk None) with its figures computed
    now, in memory. Nothing is written (services.statement_get_or_refresh stores them)."""
    period = domain.month_start(period)
    stored = {
        (st.organization_id, st.owner_id): st
        for st in OwnerStatement.objects.filter(
            organization_id__in=managed_ids(actor), period=period
        ).select_related("owner")
    }
    out = [
        statement_as_of_now(
            stored.get((org_id, owner_id))
            or OwnerStatement(organization_id=org_id, owner_id=owner_id, period=period)
        )
        for org_id, owner_id in pairs
    ]
    return sorted(out, key=lambda st: st.owner.name)


def imports_for(actor):
    return ImportBatch.objects.filter(organization_id__in=managed_ids(actor)).defer("content")


def owners_of(actor) -> list[tuple[int, str]]:
    """(organization id, name) of the owners whose properties the actor manages."""
    return list(
        Property.objects.filter(organization_id__in=managed_ids(actor))
        .values_list("owner_id", "owner__name")
        .distinct()
        .order_by("owner__name")
    )


# --- tenants ------------------------------------------------------------------------------------


def tenant_lease_ids(actor):
    return LeaseTenant.objects.filter(user_id=actor.pk).values("lease_id")


def tenant_leases(actor):
    return Lease.objects.filter(id__in=tenant_lease_ids(actor)).select_related(
        "unit__property", "organization"
    )


def tenant_dues(actor):
    return RentDue.objects.filter(lease_id__in=tenant_lease_ids(actor)).select_related(
        "lease__unit__property"
    )


def tenant_due_get(actor, public_id) -> RentDue:
    return _one(tenant_dues(actor), public_id)


def tenant_quittances(actor):
    return Quittance.objects.filter(due__lease_id__in=tenant_lease_ids(actor)).select_related("due__lease")


def tenant_tickets(actor):
    return Ticket.objects.filter(lease_id__in=tenant_lease_ids(actor)).select_related("property", "unit")


def tenant_lease_get(actor, public_id) -> Lease:
    return _one(tenant_leases(actor), public_id)


def quittance_visible(actor, public_id) -> Quittance:
    """A receipt its tenant or its manager may download."""
    quittance = Quittance.objects.filter(public_id=_uuid(public_id)).select_related("due__lease").first()
    if quittance is None or not (
        quittance.organization_id in managed_ids(actor)
        or identity.can(actor, "estate.tenant.view", quittance.due)
    ):
        raise NotFound()
    return quittance


def tenant_quittance_get(actor, public_id) -> Quittance:
    """One of the tenant's own rent receipts (the tenant space: never a managed one)."""
    return _one(tenant_quittances(actor), public_id)


def tenant_ticket_get(actor, public_id) -> Ticket:
    return _one(tenant_tickets(actor), public_id)


def tenant_inspections(actor):
    return Inspection.objects.filter(lease_id__in=tenant_lease_ids(actor)).select_related(
        "lease__unit__property"
    )


def tenant_inspection_get(actor, public_id) -> Inspection:
    return _one(tenant_inspections(actor), public_id)


def tenant_payments(actor):
    """Money received on the tenant's leases, newest first."""
    return (
        RentPayment.objects.filter(lease_id__in=tenant_lease_ids(actor))
        .select_related("lease__unit__property")
        .order_by("-received_on", "-created_at")
    )


@dataclass(frozen=True)
class TenantReceipt:
    """One line of the tenant's receipts: a quittance (Q…, for a rent, deposit or fee due,
    checked at /r/q/<code>, with a PDF) or the receipt of a payment through payments (R…,
    checked at /r/<code>)."""

    kind: str  # "quittance" | "payment"
    public_id: UUID  # the quittance, or the payment intent
    number: str
    code: str
    issued_at: object  # datetime: issued (quittance) or paid (payment)
    amount: int
    currency: str
    due: RentDue | None
    voided: bool
    verify_url: str  # a payment's /r/<code>; "" for a quittance (documents.verification_url)
    pdf_path: str | None  # the API path of the PDF (quittances only)

    @property
    def due_public_id(self):
        return self.due.public_id if self.due is not None else None

    @property
    def period(self):
        return self.due.period if self.due is not None else None

    @property
    def due_kind(self):
        return self.due.kind if self.due is not None else None


RECEIPT_QUITTANCE, RECEIPT_PAYMENT = "quittance", "payment"
_RECEIPT_RANK = {RECEIPT_QUITTANCE: 1, RECEIPT_PAYMENT: 0}


def _receipt_cursor(when, kind: str, pk: int) -> str:
    import base64

    raw = f"{when.isoformat()}|{kind}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _receipt_after(cursor: str | None):
    """(when, rank, pk) of the last line of the previous page, or None (a bad cursor is
    refused as invalid input)."""
    import base64
    from datetime import datetime

    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, kind, pk = raw.split("|")
        return datetime.fromisoformat(when), _RECEIPT_RANK[kind], int(pk)
    except (ValueError, KeyError, UnicodeDecodeError):
        raise InvalidInput(field="cursor") from None


def _before(qs, field: str, rank: int, after) -> object:
    """Rows strictly after the cursor in (date desc, rank desc, pk desc) order."""
    if after is None:
        return qs
    when, cursor_rank, pk = after
    if rank < cursor_rank:
        return qs.filter(**{f"{field}__lte": when})
    if rank > cursor_rank:
        return qs.filter(**{f"{field}__lt": when})
    return qs.filter(Q(**{f"{field}__lt": when}) | Q(**{field: when, "pk__lt": pk}))


def tenant_receipts(actor, *, limit: int = 50, cursor: str | None = None):
    """The tenant's receipts of both kinds, newest first: quittances of their leases' dues
    and the receipts of the payments made on their leases through payments. Returns
    (lines, next_cursor or None); a fixed number of queries whatever the number of lines."""
    from django.urls import reverse

    from apps.payments import api as payments

    after = _receipt_after(cursor)
    leases = tenant_lease_ids(actor)
    quittances = list(
        _before(
            Quittance.objects.filter(due__lease_id__in=leases).select_related("due__lease"),
            "issued_at",
            _RECEIPT_RANK[RECEIPT_QUITTANCE],
            after,
        ).order_by("-issued_at", "-pk")[: limit + 1]
    )
    rent_payments = list(
        _before(
            RentPayment.objects.filter(lease_id__in=leases, intent__isnull=False),
            "created_at",
            _RECEIPT_RANK[RECEIPT_PAYMENT],
            after,
        )
        .order_by("-created_at", "-pk")
        .values("pk", "intent", "created_at")[: limit + 1]
    )
    infos = {info.public_id: info for info in payments.paid_intents([p["intent"] for p in rent_payments])}
    due_ids = {
        UUID(info.purpose.id)
        for info in infos.values()
        if info.purpose.type == "estate.RentDue" and info.purpose.id
    }
    dues = {d.public_id: d for d in RentDue.objects.filter(public_id__in=due_ids, lease_id__in=leases)}
    keyed = []
    for q in quittances:
        line = TenantReceipt(
            kind=RECEIPT_QUITTANCE,
            public_id=q.public_id,
            number=q.number,
            code=q.code,
            issued_at=q.issued_at,
            amount=q.snapshot["total"],
            currency=q.snapshot["currency"],
            due=q.due,
            voided=q.voided_at is not None,
            verify_url="",
            pdf_path=reverse("estate-receipt-pdf", kwargs={"version": "v1", "receipt_id": q.public_id}),
        )
        keyed.append(((q.issued_at, 1, q.pk), line))
    for row in rent_payments:
        info = infos.get(row["intent"])
        if info is None or not info.receipt_number:
            continue
        due = dues.get(UUID(info.purpose.id)) if info.purpose.type == "estate.RentDue" else None
        line = TenantReceipt(
            kind=RECEIPT_PAYMENT,
            public_id=info.public_id,
            number=info.receipt_number,
            code=info.receipt_url.rstrip("/").rsplit("/", 1)[-1] if info.receipt_url else "",
            issued_at=info.succeeded_at or row["created_at"],
            amount=info.amount,
            currency=info.currency,
            due=due,
            voided=False,
            verify_url=info.receipt_url,
            pdf_path=None,
        )
        keyed.append(((row["created_at"], 0, row["pk"]), line))
    keyed.sort(key=lambda pair: pair[0], reverse=True)
    page = keyed[:limit]
    more = len(keyed) > limit
    next_cursor = None
    if more and page:
        (when, rank, pk), line = page[-1]
        next_cursor = _receipt_cursor(when, line.kind, pk)
    return [line for _key, line in page], next_cursor


def tenant_announcements(actor):
    """Announcements of the properties where the tenant has an active lease, newest first."""
    properties = Lease.objects.filter(id__in=tenant_lease_ids(actor), status=LeaseStatus.ACTIVE).values(
        "unit__property_id"
    )
    return (
        Announcement.objects.filter(property_id__in=properties)
        .select_related("property", "organization")
        .order_by("-created_at")
    )


# --- owners (the owner portal) -----------------------------------------------------------------------


def owner_ids(actor) -> set[int]:
    """Owner organizations the actor belongs to."""
    ids = identity.organization_ids_of(actor)
    if not ids:
        return set()
    return set(Property.objects.filter(owner_id__in=ids).values_list("owner_id", flat=True).distinct())


def owner_properties(actor):
    return (
        Property.objects.filter(owner_id__in=owner_ids(actor))
        .select_related("organization")
        .annotate(
            units_total=Count("units", distinct=True),
            units_occupied=Count("units", filter=Q(units__status=UnitStatus.OCCUPIED), distinct=True),
        )
        .order_by("name")
    )


def owner_overview(actor, *, today: date | None = None) -> dict:
    """The owner portal's figures: a bounded number of queries."""
    today = today or timezone.localdate()
    ids = owner_ids(actor)
    period = domain.month_start(today)
    dues = RentDue.objects.filter(lease__unit__property__owner_id__in=ids)
    month = dues.filter(period=period, kind="rent").aggregate(expected=Sum("total"), collected=Sum("paid"))
    arrears = (
        dues.filter(status=DueStatus.OVERDUE)
        .exclude(kind="deposit")
        .aggregate(total=Sum(F("total") - F("paid")))
    )
    expenses = (
        Expense.objects.filter(property__owner_id__in=ids)
        .select_related("property")
        .order_by("-incurred_on")[:20]
    )
    statements = (
        OwnerStatement.objects.filter(owner_id__in=ids)
        .select_related("organization")
        .order_by("-period")[:12]
    )
    return {
        "currency": portfolio_currency(
            units=Unit.objects.filter(property__owner_id__in=ids), organization_ids=ids
        ),
        "properties": list(owner_properties(actor)),
        "expected": month["expected"] or 0,
        "collected": month["collected"] or 0,
        "arrears": arrears["total"] or 0,
        "expenses": list(expenses),
        "statements": list(statements),
    }


# --- currency of aggregates -------------------------------------------------------------------


def portfolio_currency(*, units, organization_ids) -> str | None:
    """The currency of a portfolio's aggregates (dashboard, owner portal): its units' (a
    portfolio is in one currency), else the country's of its first organization (one
    without any unit yet). None when there is no organization at all."""
    found = units.order_by().values_list("currency", flat=True).first()
    if found or not organization_ids:
        return found
    return currency_of_country(identity.get_organization(id=min(organization_ids)).country)


# --- the dashboard --------------------------------------------------------------------------------


def dashboard(actor, *, today: date | None = None, months: int = 6) -> dict:
    """This month's expected vs collected, collection rate, occupancy, arrears, leases
    ending within 60 days, six months of history, open tickets, recent payments and the
    worst arrears. A fixed number of queries, whatever the portfolio size."""
    today = today or timezone.localdate()
    ids = managed_ids(actor)
    period = domain.month_start(today)
    dues = RentDue.objects.filter(organization_id__in=ids)
    # an imported opening balance is arrears, not a month's rent: out of the collection rates
    rent_dues = dues.filter(kind="rent")
    month = rent_dues.filter(period=period).aggregate(
        expected=Sum("total"), collected=Sum("paid"), count=Count("id")
    )
    units = Unit.objects.filter(organization_id__in=ids).aggregate(
        total=Count("id"), occupied=Count("id", filter=Q(status=UnitStatus.OCCUPIED))
    )
    arrears = dues.filter(status=DueStatus.OVERDUE).aggregate(
        total=Sum(F("total") - F("paid")), count=Count("id")
    )
    first = domain.add_months(period, -(months - 1))
    history = {
        row["period"]: row
        for row in rent_dues.filter(period__gte=first, period__lte=period)
        .values("period")
        .annotate(expected=Sum("total"), collected=Sum("paid"))
    }
    series = []
    for index in range(months):
        p = domain.add_months(first, index)
        row = history.get(p, {})
        series.append(
            {"period": p, "expected": row.get("expected") or 0, "collected": row.get("collected") or 0}
        )
    ending = list(
        Lease.objects.filter(
            organization_id__in=ids,
            status=LeaseStatus.ACTIVE,
            end_date__gte=today,
            end_date__lte=today + timedelta(days=60),
        )
        .select_related("unit__property")
        .order_by("end_date")[:10]
    )
    tickets = dict(
        Ticket.objects.filter(organization_id__in=ids, status__in=["open", "assigned", "in_progress"])
        .values_list("status")
        .annotate(n=Count("id"))
    )
    recent = list(
        RentPayment.objects.filter(organization_id__in=ids)
        .select_related("lease__unit__property")
        .order_by("-received_on", "-id")[:6]
    )
    worst = list(
        dues.filter(status=DueStatus.OVERDUE)
        .select_related("lease__unit__property")
        .annotate(left=F("total") - F("paid"))
        .order_by("-left", "due_date")[:6]
    )
    expected, collected = month["expected"] or 0, month["collected"] or 0
    total_units, occupied = units["total"] or 0, units["occupied"] or 0
    return {
        "currency": portfolio_currency(
            units=Unit.objects.filter(organization_id__in=ids), organization_ids=ids
        ),
        "period": period,
        "expected": expected,
        "collected": collected,
        "rate": round(collected * 100 / expected) if expected else 0,
        "dues_count": month["count"] or 0,
        "units": total_units,
        "occupied": occupied,
        "occupancy": round(occupied * 100 / total_units) if total_units else 0,
        "arrears": arrears["total"] or 0,
        "arrears_count": arrears["count"] or 0,
        "series": series,
        "ending": ending,
        "tickets": tickets,
        "tickets_open": sum(tickets.values()),
        "recent": recent,
        "worst": worst,
    }


def quittance_by_code(code: str) -> Quittance | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 20:
        return None
    return Quittance.objects.filter(code=code).select_related("due").first()


# --- statement import and matching (issue 16): finance roles of the organization only ---------------


def _finance_ids(actor) -> set[int]:
    return managed_ids(actor, identity.FINANCE_ROLES)


def statement_imports_for(actor):
    from .models import StatementImport

    return StatementImport.objects.filter(organization_id__in=_finance_ids(actor)).order_by(
        "-created_at", "-id"
    )


def statement_import_get(actor, public_id):
    return _one(statement_imports_for(actor), public_id)


def statement_lines_for(actor, *, status=None, statement=None):
    """Statement lines of the actor's organizations (finance roles); `status` one value or
    several; the suggested due and its lease come along (no query per line)."""
    from .models import StatementLine

    qs = StatementLine.objects.filter(organization_id__in=_finance_ids(actor)).select_related(
        "statement", "suggested_due__lease__unit__property"
    )
    if status:
        qs = qs.filter(status__in=[status] if isinstance(status, str) else list(status))
    if statement is not None:
        qs = qs.filter(statement=statement)
    return qs.order_by("-booked_on", "-id")


def statement_review_for(actor):
    """The review queue: lines to confirm (partial matches) or without any match."""
    return statement_lines_for(actor, status=("review", "unmatched"))


def statement_line_get(actor, public_id):
    return _one(statement_lines_for(actor), public_id)


def statement_rules_for(actor):
    from .models import StatementRule

    return (
        StatementRule.objects.filter(organization_id__in=_finance_ids(actor))
        .select_related("lease__unit__property")
        .order_by("-created_at", "-id")
    )


def statement_rule_get(actor, public_id):
    return _one(statement_rules_for(actor), public_id)


def statement_due_choices(actor, line, *, limit: int = 50):
    """Open dues a reviewed line may pay: its candidates first, then the organization's other
    open dues in its currency (oldest first)."""
    from .contracts import OPEN_DUE_STATUSES

    if line.organization_id not in _finance_ids(actor):
        return []
    candidate_ids = [c.get("due") for c in (line.candidates or []) if c.get("due")]
    qs = RentDue.objects.filter(
        organization_id=line.organization_id, currency=line.currency, status__in=OPEN_DUE_STATUSES
    ).select_related("lease__unit__property")
    first = {d.pk: d for d in qs.filter(pk__in=candidate_ids)}
    ordered = [first[pk] for pk in candidate_ids if pk in first]
    rest = list(qs.exclude(pk__in=candidate_ids).order_by("due_date", "id")[: max(limit - len(ordered), 0)])
    return ordered + rest


def statement_organization(actor, public_id=None) -> int:
    """The organization a statement is imported for: the one named (where the actor has a
    finance role, else 404), or the actor's only such organization."""
    ids = _finance_ids(actor)
    if public_id:
        found = [
            m.organization_id for m in identity.memberships_of(actor) if m.organization_public_id == public_id
        ]
        if found and found[0] in ids:
            return found[0]
        raise NotFound(field="organization")
    if len(ids) == 1:
        return next(iter(ids))
    if not ids:
        raise NotFound(field="organization")
    raise InvalidInput(field="organization")


# --- the audience of cms's news (registered with cms in apps.py) ----------------------------------


def news_audience(audience: str, country: str, city: str) -> list:
    """Public ids of the active users of a news audience where estate has properties (country
    and city "" = anywhere): `tenants`, of an active lease there; `landlords`, members of the
    organizations owning properties there; `agencies`, members of the agencies managing them.
    One query."""
    properties = Property.objects.filter(is_active=True)
    if country:
        properties = properties.filter(country=country)
    if city:
        properties = properties.filter(city__iexact=city)
    if audience == "tenants":
        rows = LeaseTenant.objects.filter(
            lease__status=LeaseStatus.ACTIVE, lease__unit__property__in=properties, user__status="active"
        ).values_list("user__public_id", flat=True)
    elif audience in ("landlords", "agencies"):
        org = "owner" if audience == "landlords" else "organization"
        if audience == "agencies":
            properties = properties.filter(organization__kind="agency")
        rows = properties.filter(
            **{
                f"{org}__is_active": True,
                f"{org}__memberships__is_active": True,
                f"{org}__memberships__user__status": "active",
            }
        ).values_list(f"{org}__memberships__user__public_id", flat=True)
    else:
        return []
    return list(rows.distinct())
