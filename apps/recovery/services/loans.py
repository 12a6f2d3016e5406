"""Loan cases: a loan debt lending hands over (docs/recovery.md, "Loan cases").

Lending sits above recovery: it calls `recovery.api` (open, update, close) and recovery never
reads a loan. A loan case is opened, kept up to date and closed only here — the daily sync
follows estate's arrears and touches rent cases only. Opening is set-based (lending's nightly
run hands over a batch at once) and idempotent: a loan with an open case gets that case back.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.bulk import insert_rows
from apps.core.money import Money
from apps.core.outbox import publish_many
from apps.identity import api as identity
from apps.notifications import api as notifications

from .. import metrics
from ..contracts import CaseKind, CaseOutcome, EventKind, LoanCaseRequest, LoanCloseReason
from ..errors import InvalidInput
from ..events import CaseOpened
from ..models import Case, CaseEvent, Ladder, StepRun
from .cases import LIVE, _close, reminder_key_prefix
from .common import aging_invalidate, event, event_row, token

CLOSE_OUTCOMES = {
    LoanCloseReason.PAID: CaseOutcome.PAID,
    LoanCloseReason.WRITTEN_OFF: CaseOutcome.WRITTEN_OFF,
    LoanCloseReason.RESTRUCTURED: CaseOutcome.RESTRUCTURED,
}


def _check(request: LoanCaseRequest) -> None:
    if isinstance(request.outstanding, bool) or not isinstance(request.outstanding, int):
        raise InvalidInput(_("The amount owed must be a whole number of minor units."), field="outstanding")
    if request.outstanding <= 0:
        raise InvalidInput(_("Nothing is owed on this loan."), field="outstanding")
    if not request.loan_reference.strip():
        raise InvalidInput(field="loan_reference")
    if len(request.currency or "") != 3:
        raise InvalidInput(field="currency")


def _ladders(org_ids: set[int]) -> dict[int, Ladder]:
    """The active ladder of each organization, the standard one created for an organization
    that has none (the lender's organization has no manager to set one up)."""
    from .ladder import ladder_default

    found = {
        lad.organization_id: lad for lad in Ladder.objects.filter(organization_id__in=org_ids, is_active=True)
    }
    for org_id in org_ids - set(found):
        found[org_id] = ladder_default(organization_id=org_id)
    return found


def loan_cases_open(requests: list[LoanCaseRequest], *, today: date | None = None) -> dict[UUID, Case]:
    """Open a case for each loan handed over ({loan public id: its open case}). A loan that
    already has an open case gets it back unchanged. A handful of queries for the batch."""
    today = today or timezone.localdate()
    requests = list({UUID(str(r.loan)): r for r in requests}.values())
    for request in requests:
        _check(request)
    if not requests:
        return {}
    loans = [UUID(str(r.loan)) for r in requests]
    out = {c.loan: c for c in Case.objects.filter(kind=CaseKind.LOAN, loan__in=loans, status__in=LIVE)}
    new = [r for r in requests if UUID(str(r.loan)) not in out]
    if not new:
        return out
    org_ids = identity.organization_ids({UUID(str(r.organization)) for r in new})
    missing = {r.organization for r in new if UUID(str(r.organization)) not in org_ids}
    if missing:
        raise InvalidInput(_("Unknown organization."), field="organization")
    tenants = identity.user_ids(UUID(str(r.borrower)) for r in new if r.borrower)
    ladders = _ladders(set(org_ids.values()))
    created: list[Case] = []
    for r in new:
        org_id = org_ids[UUID(str(r.organization))]
        created.append(
            Case(
                organization_id=org_id,
                kind=CaseKind.LOAN,
                loan=UUID(str(r.loan)),
                loan_reference=r.loan_reference.strip()[:30],
                pay_url=(r.pay_url or "")[:300],
                tenant_id=tenants.get(UUID(str(r.borrower))) if r.borrower else None,
                tenant_name=(r.borrower_name or "")[:150],
                tenant_phone=(r.borrower_phone or "")[:20],
                currency=r.currency,
                amount_at_open=r.outstanding,
                amount_owed=r.outstanding,
                oldest_due_date=r.oldest_due_date,
                ladder=ladders.get(org_id),
                next_action_on=today,
                token=token(),
                opened_on=today,
            )
        )
    try:
        with transaction.atomic():
            insert_rows(Case, created)
            insert_rows(
                CaseEvent,
                [
                    event_row(c, EventKind.OPENED, amount=c.amount_owed, data={"loan": str(c.loan)})
                    for c in created
                ],
            )
            publish_many(
                [
                    CaseOpened(
                        case_id=str(case.public_id),
                        organization_id=str(r.organization),
                        lease_id="",
                        tenant_id=str(r.borrower or ""),
                        amount=case.amount_owed,
                        currency=case.currency,
                        oldest_due_date=r.oldest_due_date.isoformat() if r.oldest_due_date else "",
                        kind=str(CaseKind.LOAN),
                        loan_id=str(case.loan),
                    )
                    for case, r in zip(created, new, strict=True)
                ]
            )
    except IntegrityError:
        # a concurrent hand-over opened some of them first: the loans' open cases, as they are
        return {c.loan: c for c in Case.objects.filter(kind=CaseKind.LOAN, loan__in=loans, status__in=LIVE)}
    metrics.CASES.labels(event="opened").inc(len(created))
    for org_id in {c.organization_id for c in created}:
        aging_invalidate(org_id)
    out.update({c.loan: c for c in created})
    return out


def _open_case(loan: UUID) -> Case | None:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("tenant", "collector")
        .filter(kind=CaseKind.LOAN, loan=UUID(str(loan)), status__in=LIVE)
        .first()
    )


def _paid(paid, payment: str) -> int:
    if isinstance(paid, bool) or not isinstance(paid, int) or paid < 0:
        raise InvalidInput(field="paid")
    if paid and not payment:
        raise InvalidInput(_("A payment needs its reference."), field="payment")
    return paid


def _record_payment(case: Case, *, paid: int, payment: str, today: date) -> bool:
    """The payment on the case's timeline once (False: already recorded); what the ladder
    queued but did not send yet is withdrawn."""
    if CaseEvent.objects.filter(case=case, kind=EventKind.PAYMENT, data__payment=payment).exists():
        return False
    case.recovered += paid
    event(
        case, EventKind.PAYMENT, step=case.last_step, amount=paid, data={"payment": payment, "method": "loan"}
    )
    withdrawn = notifications.cancel_pending(
        idempotency_key_prefix=reminder_key_prefix(case), reason="payment received"
    )
    if withdrawn:
        StepRun.objects.filter(case=case, run_on=today, status=StepRun.Status.DONE).update(
            status=StepRun.Status.CANCELED
        )
    return True


def loan_case_update(
    *,
    loan: UUID,
    outstanding: Money,
    paid: int = 0,
    payment: str = "",
    oldest_due_date: date | None = None,
    pay_url: str | None = None,
    today: date | None = None,
) -> Case | None:
    """Lending says what the loan owes now (after a repayment: `paid` and the repayment's
    reference `payment`, recorded once). Nothing owed any more: the case closes as paid.
    No open case for the loan: None (nothing to follow)."""
    from .commitments import payment_progress

    today = today or timezone.localdate()
    if not isinstance(outstanding, Money) or outstanding.amount < 0:
        raise InvalidInput(field="outstanding")
    paid = _paid(paid, payment)
    with transaction.atomic():
        case = _open_case(loan)
        if case is None:
            return None
        if outstanding.currency != case.currency:
            raise InvalidInput(_("The amount is not in the case's currency."), field="outstanding")
        if paid and not _record_payment(case, paid=paid, payment=payment, today=today):
            return case  # the same repayment told twice
        case.amount_owed = outstanding.amount
        if oldest_due_date is not None or outstanding.amount == 0:
            case.oldest_due_date = oldest_due_date
        if pay_url is not None:
            case.pay_url = pay_url[:300]
        case.save(update_fields=["recovered", "amount_owed", "oldest_due_date", "pay_url", "updated_at"])
        aging_invalidate(case.organization_id)
        if case.amount_owed == 0:
            _close(case, outcome=CaseOutcome.PAID, actor=None, reason="")
        elif paid:
            payment_progress(case, today=today)
        return case


def loan_case_close(
    *, loan: UUID, reason: str, paid: int = 0, payment: str = "", note: str = ""
) -> Case | None:
    """Lending ends the recovery of a loan: repaid (`paid`), written off, or restructured
    (a new schedule: the loan is current again). Idempotent: no open case, None."""
    try:
        reason = LoanCloseReason(reason)
    except ValueError:
        raise InvalidInput(_("Choose paid, written off or restructured."), field="reason") from None
    paid = _paid(paid, payment)
    today = timezone.localdate()
    with transaction.atomic():
        case = _open_case(loan)
        if case is None:
            return None
        if paid:
            _record_payment(case, paid=paid, payment=payment, today=today)
        if reason in (LoanCloseReason.PAID, LoanCloseReason.WRITTEN_OFF):
            case.amount_owed = 0
        case.save(update_fields=["recovered", "amount_owed", "updated_at"])
        _close(case, outcome=CLOSE_OUTCOMES[reason], actor=None, reason=note[:500])
        return case
