"""Formal notices (mises en demeure) and escalation to a bailiff or lawyer."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.estate import api as estate
from apps.identity import api as identity
from apps.notifications import api as notifications

from ..contracts import CaseStatus, EventKind, LegalKind, LegalStatus
from ..errors import InvalidInput, InvalidState
from ..messages import RECOVERY_FORMAL_NOTICE
from ..models import Case, FormalNotice, LadderStep, LegalAction
from .cases import reminder_key_prefix
from .common import event, next_number, notice_url, portal_url, refuse_for_loan, require
from .states import LEGAL_STATES


def formal_notice_issue(
    *,
    case: Case,
    step: LadderStep | None = None,
    actor=None,
    today: date | None = None,
    pay_within_days: int = 8,
) -> FormalNotice:
    """Number and record a mise en demeure for what is past due now, and send it (SMS,
    e-mail, in-app; the PDF is rendered from the row at /recover/<token>/notice/<no>.pdf)."""
    if actor is not None:
        require(actor, "recovery.case.manage", case)
    refuse_for_loan(case)  # a mise en demeure claims the lease's dues
    today = today or timezone.localdate()
    if case.status == CaseStatus.CLOSED or case.amount_owed <= 0:
        raise InvalidState(_("Nothing is owed on this case."))
    days = step.pay_within_days if step is not None else pay_within_days
    if not 1 <= days <= 60:
        raise InvalidInput(field="pay_within_days")
    dues = [
        {
            "period": d.period.isoformat(),
            "due_date": d.due_date.isoformat(),
            "total": d.total,
            "paid": d.paid,
            "outstanding": d.outstanding,
        }
        for d in estate.open_dues(case.lease)
        if d.due_date < today and d.outstanding > 0
    ]
    with transaction.atomic():
        number = next_number(
            organization_id=case.organization_id, kind="formal_notice", prefix="MED", on=today
        )
        notice = FormalNotice.objects.create(
            case=case,
            organization_id=case.organization_id,
            number=number,
            issued_on=today,
            pay_by=today + timedelta(days=days),
            amount=case.amount_owed,
            currency=case.currency,
            country=(case.ladder.country if case.ladder_id else "BJ"),
            language="fr",
            dues=dues,
            step=step,
        )
        from ..vault import file_formal_notice

        file_formal_notice(notice, tenant_id=case.tenant_id)
        event(
            case,
            EventKind.FORMAL_NOTICE,
            actor=actor,
            step=step,
            amount=notice.amount,
            data={"notice": notice.number, "pay_by": notice.pay_by.isoformat()},
        )
        recipient = str(case.tenant.public_id) if case.tenant_id else case.tenant_phone
        if recipient:
            notifications.send(
                recipient,
                RECOVERY_FORMAL_NOTICE,
                {
                    "tenant_name": case.tenant_name or "-",
                    "amount": {"amount": notice.amount, "currency": notice.currency},
                    "number": notice.number,
                    "pay_by": notice.pay_by.isoformat(),
                    "notice_url": notice_url(case, notice.number),
                    "pay_url": portal_url(case),
                },
                idempotency_key=f"{reminder_key_prefix(case)}notice:{notice.number}",
                organization=str(identity.get_organization(id=case.organization_id).public_id),
            )
        return notice


def legal_escalate(
    *,
    actor,
    case: Case,
    kind: str = LegalKind.BAILIFF,
    firm: str = "",
    contact: str = "",
    step: LadderStep | None = None,
    notes: str = "",
) -> LegalAction:
    """Hand the case to a bailiff (huissier / commissaire de justice) or a lawyer; the ladder
    stops sending; the status is tracked until settled or dropped."""
    if actor is not None:
        require(actor, "recovery.case.manage", case)
    if kind not in LegalKind.__members__.values():
        raise InvalidInput(field="kind")
    with transaction.atomic():
        if case.status == CaseStatus.CLOSED:
            raise InvalidState()
        action = LegalAction.objects.create(
            case=case, kind=kind, firm=firm[:150], contact=contact[:150], notes=notes
        )
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.LEGAL, updated_at=timezone.now())
        case.status = CaseStatus.LEGAL
        event(
            case, EventKind.LEGAL, actor=actor, step=step, data={"legal": str(action.public_id), "kind": kind}
        )
        return action


def legal_update(
    *,
    actor,
    action: LegalAction,
    status: str | None = None,
    firm: str | None = None,
    contact: str | None = None,
    reference: str | None = None,
    cost: int | None = None,
    notes: str | None = None,
) -> LegalAction:
    require(actor, "recovery.case.manage", action.case)
    if status is not None and status not in LegalStatus.__members__.values():
        raise InvalidInput(field="status")
    if cost is not None and (isinstance(cost, bool) or not isinstance(cost, int) or cost < 0):
        raise InvalidInput(field="cost")
    with transaction.atomic():
        action = LegalAction.objects.select_for_update().get(pk=action.pk)
        if status is not None and status != action.status:
            LEGAL_STATES.check(action.status, status, field="status")
        changed = {}
        for attr, value in (
            ("status", status),
            ("firm", firm),
            ("contact", contact),
            ("reference", reference),
            ("cost", cost),
            ("notes", notes),
        ):
            if value is not None and getattr(action, attr) != value:
                setattr(action, attr, value)
                changed[attr] = value if not isinstance(value, str) else value[:200]
        action.save()
        if changed:
            event(action.case, EventKind.LEGAL, actor=actor, data={"legal": str(action.public_id), **changed})
        return action
