"""Reads, always scoped to what the actor may see: managers, accountants and viewers see
their organizations' recovery; a collector sees only the cases assigned to them. Anything
else is NotFound (never a 403: another organization's case does not exist for you)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.core.errors import NotFound
from apps.identity import api as identity
from apps.identity.contracts import OrgRole

from .contracts import CaseKind, CaseStatus
from .models import (
    Case,
    CaseEvent,
    CashHandover,
    CollectorTask,
    FormalNotice,
    Ladder,
    LegalAction,
    PaymentPlan,
    Promise,
)
from .rules import READ_ALL_ROLES

LIVE = [CaseStatus.OPEN, CaseStatus.PROMISED, CaseStatus.PLAN, CaseStatus.LEGAL]


def _uuid(value) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise NotFound()


def report_org_ids(actor) -> set[int]:
    """Organizations whose whole recovery the actor reads."""
    return {o for o, r in identity.org_roles(actor).items() if r in READ_ALL_ROLES}


def managed_org_ids(actor) -> set[int]:
    return {o for o, r in identity.org_roles(actor).items() if r in identity.MANAGE_ROLES}


def collector_org_ids(actor) -> set[int]:
    return {o for o, r in identity.org_roles(actor).items() if r == OrgRole.COLLECTOR}


def visible_cases(actor) -> QuerySet[Case]:
    if not getattr(actor, "is_authenticated", False):
        return Case.objects.none()
    return Case.objects.filter(
        Q(organization_id__in=report_org_ids(actor))
        | Q(organization_id__in=collector_org_ids(actor), collector_id=actor.pk)
    )


def cases_for(
    actor,
    *,
    organization: UUID | None = None,
    status: str | None = None,
    kind: str | None = None,
    collector: UUID | None = None,
    property: UUID | None = None,
    q: str = "",
    without_next_action: bool = False,
    today: date | None = None,
) -> QuerySet[Case]:
    qs = visible_cases(actor).select_related("organization", "tenant", "collector", "last_step")
    if organization is not None:
        qs = qs.filter(organization__public_id=_uuid(organization))
    if status == "live":
        qs = qs.filter(status__in=LIVE)
    elif status:
        qs = qs.filter(status=status)
    if kind:
        if kind not in CaseKind.__members__.values():
            from .errors import InvalidInput

            raise InvalidInput(field="kind")
        qs = qs.filter(kind=kind)
    if collector is not None:
        qs = qs.filter(collector__public_id=_uuid(collector))
    if property is not None:
        qs = qs.filter(property=_uuid(property))
    if q:
        qs = qs.filter(
            Q(tenant_name__icontains=q)
            | Q(lease_reference__icontains=q)
            | Q(loan_reference__icontains=q)
            | Q(property_name__icontains=q)
            | Q(tenant_phone__icontains=q)
        )
    if without_next_action:
        today = today or timezone.localdate()
        qs = qs.filter(status__in=LIVE).filter(Q(next_action_on__isnull=True) | Q(next_action_on__lt=today))
    return qs


def case_for(actor, public_id) -> Case:
    case = cases_for(actor).filter(public_id=_uuid(public_id)).first()
    if case is None:
        raise NotFound()
    return case


def case_child_for(model, actor, public_id):
    """A promise, plan, legal action or task of a case the actor sees, else NotFound."""
    row = (
        model.objects.select_related("case")
        .filter(public_id=_uuid(public_id), case__in=visible_cases(actor))
        .first()
    )
    if row is None:
        raise NotFound()
    return row


def member_org_id(actor, public_id, *, field: str = "organization") -> int:
    """An organization the actor belongs to (the services check the role), else NotFound."""
    public_id = _uuid(public_id)
    org_id = identity.organization_ids([public_id]).get(public_id)
    if org_id is None or org_id not in identity.organization_ids_of(actor):
        raise NotFound(field=field)
    return org_id


def timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor", "step").order_by("-happened_at", "-id")


def promises_of(case: Case) -> QuerySet[Promise]:
    return case.promises.order_by("-created_at")


def plans_of(case: Case) -> QuerySet[PaymentPlan]:
    return case.plans.prefetch_related("installments").order_by("-created_at")


def notices_of(case: Case) -> QuerySet[FormalNotice]:
    return case.notices.order_by("-issued_on", "-id")


def legal_of(case: Case) -> QuerySet[LegalAction]:
    return case.legal_actions.order_by("-created_at")


def tasks_for(actor, *, today: date | None = None) -> QuerySet[CollectorTask]:
    return CollectorTask.objects.filter(case__in=visible_cases(actor), status="open").select_related("case")


def notice_for_case(case: Case, number: str) -> FormalNotice:
    notice = case.notices.filter(number=str(number)[:30]).first()
    if notice is None:
        raise NotFound()
    return notice


def ladder_for(actor, organization_id: int) -> Ladder | None:
    if organization_id not in report_org_ids(actor):
        raise NotFound()
    return Ladder.objects.filter(organization_id=organization_id, is_active=True).first()


def ladders_for(actor) -> QuerySet[Ladder]:
    return (
        Ladder.objects.filter(organization_id__in=report_org_ids(actor), is_active=True)
        .select_related("organization")
        .prefetch_related("steps")
    )


def handovers_for(actor, *, organization: UUID | None = None) -> QuerySet[CashHandover]:
    orgs = report_org_ids(actor)
    qs = CashHandover.objects.filter(
        Q(organization_id__in=orgs) | Q(organization_id__in=collector_org_ids(actor), collector_id=actor.pk)
    ).select_related("organization", "collector", "received_by")
    if organization is not None:
        qs = qs.filter(organization__public_id=_uuid(organization))
    return qs.order_by("-created_at", "-id")


def organization_for_report(actor, organization: UUID | None) -> int:
    """The organization whose reports the actor asks for (their only one by default)."""
    orgs = report_org_ids(actor)
    if organization is None:
        if len(orgs) == 1:
            return next(iter(orgs))
        raise NotFound()
    org_id = identity.organization_ids([_uuid(organization)]).get(_uuid(organization))
    if org_id is None or org_id not in orgs:
        raise NotFound()
    return org_id
