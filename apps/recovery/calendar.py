"""Recovery's events in the agency's calendar (apps/core/web/calendar.py): promises to pay,
field visits (done, and planned as collector tasks) of the cases the user may read, and the
days off of the user's organizations — the public holidays of each one's country from the
`holidays` library plus its own days (daysoff.py)."""

from __future__ import annotations

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.money import format_amount
from apps.core.web.calendar import LIMIT_PER_PROVIDER, Event
from apps.identity import api as identity

from . import selectors
from .contracts import TaskKind, TaskStatus
from .daysoff import days_off
from .models import CollectorTask, Promise, Visit

PER_KIND = LIMIT_PER_PROVIDER // 4


def _case_url(case) -> str:
    return reverse("manager:recovery-case", args=[case.public_id])


def _holidays(user, start, end) -> list[Event]:
    found: dict = {}
    for org_id in sorted(identity.organization_ids_of(user)):
        org = identity.get_organization(id=org_id)
        for day_off in days_off(country=org.country, start=start, end=end, organization_id=org_id):
            key = (day_off.date, day_off.name)
            if key not in found:
                found[key] = Event(
                    day=day_off.date, kind="holiday", kind_label=_("Day off"), title=day_off.name
                )
    return list(found.values())


def events(user, start, end) -> list[Event]:
    found = _holidays(user, start, end)
    cases = selectors.visible_cases(user)
    promises = (
        Promise.objects.filter(case__in=cases, promised_on__gte=start, promised_on__lte=end)
        .select_related("case")
        .order_by("promised_on", "id")[:PER_KIND]
    )
    for promise in promises:
        case = promise.case
        found.append(
            Event(
                day=promise.promised_on,
                kind="promise",
                kind_label=_("Promise to pay"),
                title=case.tenant_name or case.reference,
                detail=f"{format_amount(promise.amount, promise.currency)} · {promise.get_status_display()}",
                url=_case_url(case),
            )
        )
    zone = timezone.get_current_timezone()
    visits = (
        Visit.objects.filter(
            case__in=cases,
            visited_at__gte=timezone.make_aware(datetime.combine(start, time.min), zone),
            visited_at__lte=timezone.make_aware(datetime.combine(end, time.max), zone),
        )
        .select_related("case")
        .order_by("visited_at", "id")[:PER_KIND]
    )
    for visit in visits:
        case = visit.case
        found.append(
            Event(
                day=timezone.localtime(visit.visited_at).date(),
                kind="visit",
                kind_label=_("Visit"),
                title=case.tenant_name or case.reference,
                detail=f"{case.property_name} · {visit.get_outcome_display()}",
                url=_case_url(case),
            )
        )
    planned = (
        CollectorTask.objects.filter(
            case__in=cases, kind=TaskKind.VISIT, status=TaskStatus.OPEN, due_on__gte=start, due_on__lte=end
        )
        .select_related("case")
        .order_by("due_on", "id")[:PER_KIND]
    )
    for task in planned:
        case = task.case
        found.append(
            Event(
                day=task.due_on,
                kind="visit",
                kind_label=_("Planned visit"),
                title=case.tenant_name or case.reference,
                detail=f"{case.property_name} · {case.unit_label}",
                url=_case_url(case),
            )
        )
    return found
