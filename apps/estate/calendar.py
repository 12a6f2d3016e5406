"""Estate's events in the agency's calendar (apps/core/web/calendar.py): rent due dates, lease
ends and inspections (états des lieux) of the user's organizations, one bounded query each."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.money import format_amount
from apps.core.web.calendar import LIMIT_PER_PROVIDER, Event

from . import selectors
from .models import Inspection, Lease, RentDue

PER_KIND = LIMIT_PER_PROVIDER // 3


def events(user, start, end) -> list[Event]:
    orgs = selectors.managed_ids(user)
    if not orgs:
        return []
    found = []
    dues = (
        RentDue.objects.filter(organization_id__in=orgs, due_date__gte=start, due_date__lte=end)
        .select_related("lease__unit__property")
        .order_by("due_date", "id")[:PER_KIND]
    )
    for due in dues:
        lease = due.lease
        found.append(
            Event(
                day=due.due_date,
                kind="due",
                kind_label=_("Rent due"),
                title=f"{lease.unit.property.name} · {lease.unit.label}",
                detail=f"{format_amount(due.total, due.currency)} · {due.get_status_display()}",
                url=reverse("manager:estate-lease", args=[lease.public_id]),
            )
        )
    ends = (
        Lease.objects.filter(organization_id__in=orgs, end_date__gte=start, end_date__lte=end)
        .select_related("unit__property")
        .order_by("end_date", "id")[:PER_KIND]
    )
    for lease in ends:
        found.append(
            Event(
                day=lease.end_date,
                kind="lease_end",
                kind_label=_("Lease end"),
                title=f"{lease.unit.property.name} · {lease.unit.label}",
                detail=lease.reference,
                url=reverse("manager:estate-lease", args=[lease.public_id]),
            )
        )
    inspections = (
        Inspection.objects.filter(organization_id__in=orgs, inspected_on__gte=start, inspected_on__lte=end)
        .select_related("lease__unit__property")
        .order_by("inspected_on", "id")[:PER_KIND]
    )
    for inspection in inspections:
        lease = inspection.lease
        found.append(
            Event(
                day=inspection.inspected_on,
                kind="inspection",
                kind_label=_("Inspection"),
                title=f"{lease.unit.property.name} · {lease.unit.label}",
                detail=f"{inspection.get_kind_display()} · {lease.reference}",
                url=reverse("manager:estate-inspection", args=[inspection.public_id]),
            )
        )
    return found
