"""Reads, always scoped to what the actor may see:

* managers: the organizations where they hold a role (`organization_ids_of`);
* owners (the owner portal): properties whose owner organization they belong to;
* tenants: the leases they are a tenant of.

Anything else is NotFound (never a 403: another organization's data does not exist for you).
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from apps.core.errors import NotFound
from apps.identity import api as identity

from . import domain
from .contracts import DueStatus, LeaseStatus, UnitStatus
from .models import (
    Expense,
    ImportBatch,
    Inspection,
    Lease,
    LeaseTenant,
    Mandate,
    OwnerStatement,
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


def payments_for(actor):
    return RentPayment.objects.filter(organization_id__in=managed_ids(actor)).select_related(
        "lease__unit__property"
    )


def quittances_for(actor):
    return Quittance.objects.filter(organization_id__in=managed_ids(actor)).select_related("due__lease")


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
    month = dues.filter(period=period).aggregate(expected=Sum("total"), collected=Sum("paid"))
    arrears = dues.filter(status=DueStatus.OVERDUE).aggregate(total=Sum(F("total") - F("paid")))
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
        "properties": list(owner_properties(actor)),
        "expected": month["expected"] or 0,
        "collected": month["collected"] or 0,
        "arrears": arrears["total"] or 0,
        "expenses": list(expenses),
        "statements": list(statements),
    }


# --- the dashboard --------------------------------------------------------------------------------


def dashboard(actor, *, today: date | None = None, months: int = 6) -> dict:
    """This month's expected vs collected, collection rate, occupancy, arrears, leases
    ending within 60 days, six months of history, open tickets, recent payments and the
    worst arrears. A fixed number of queries, whatever the portfolio size."""
    today = today or timezone.localdate()
    ids = managed_ids(actor)
    period = domain.month_start(today)
    dues = RentDue.objects.filter(organization_id__in=ids)
    month = dues.filter(period=period).aggregate(
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
        for row in dues.filter(period__gte=first, period__lte=period)
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
