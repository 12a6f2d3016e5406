"""PUBLIC: what other modules (scoring, lending, analytics) may call in recovery.

    from apps.recovery import api as recovery
    recovery.cases_of_tenant(user_public_id) -> [CaseInfo]   (the tenant's recovery history)

The tenant's own commitments, for a caller acting for the signed-in tenant (the assistant):
    recovery.tenant_promise(actor=, amount=, promised_on=) -> PromiseInfo   (channel "portal")
    recovery.tenant_proposed_plan(actor) -> PlanOffer | None   (with its step-up binding)
    recovery.tenant_plan_accept(actor=, plan=, step_up_token=) -> PlanOffer

Events (apps.recovery.events): CaseOpened, PromiseBroken, CaseClosed.

Loan cases (lending, the layer above, hands a loan debt over; docs/recovery.md, "Loan cases"):
    recovery.open_loan_case(LoanCaseRequest) -> CaseInfo           idempotent per loan
    recovery.open_loan_cases([LoanCaseRequest]) -> {loan: CaseInfo}   the nightly batch
    recovery.update_loan_case(loan=, outstanding=Money, paid=, payment=, ...) -> CaseInfo | None
    recovery.close_loan_case(loan=, reason=paid|written_off|restructured, ...) -> CaseInfo | None
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from apps.core.money import Money

from .contracts import (
    CaseInfo,
    CaseKind,
    CaseOutcome,
    CaseStatus,
    InstallmentStatus,
    LoanCaseRequest,
    PlanInstallmentInfo,
    PlanOffer,
    PlanStatus,
    PromiseInfo,
    PromiseStatus,
)
from .errors import NoOpenCase, NoProposedPlan
from .models import Case, PaymentPlan

__all__ = [
    "NoOpenCase",
    "NoProposedPlan",
    "case_info",
    "cases_of_tenant",
    "close_loan_case",
    "collector_performance",
    "open_loan_case",
    "open_loan_cases",
    "tenant_plan_accept",
    "tenant_promise",
    "tenant_proposed_plan",
    "tenant_recovery",
    "update_loan_case",
]


def case_info(case: Case) -> CaseInfo:
    return CaseInfo(
        public_id=case.public_id,
        organization=case.organization.public_id,
        lease=case.lease,
        tenant=case.tenant.public_id if case.tenant_id else None,
        status=CaseStatus(case.status),
        outcome=CaseOutcome(case.outcome),
        amount_owed=case.amount_owed,
        recovered=case.recovered,
        currency=case.currency,
        opened_on=case.opened_on,
        oldest_due_date=case.oldest_due_date,
        broken_promises=case.broken_promises,
        kind=CaseKind(case.kind),
        loan=case.loan,
        loan_reference=case.loan_reference,
    )


def cases_of_tenant(user_public_id: UUID) -> list[CaseInfo]:
    rows = Case.objects.select_related("organization", "tenant").filter(tenant__public_id=user_public_id)
    return [case_info(c) for c in rows.order_by("-opened_on", "-id")]


# --- scoring (the rent score's features): recovery history counted, set-based ---


def tenant_recovery(user_ids):
    """{user public id: TenantRecovery}: cases opened, closed paid / settled / written off,
    still open, promises kept and broken, every organization. Two queries."""
    from .services.scoring_reads import tenant_recovery as counted

    return counted(user_ids)


# --- loan cases (lending hands a loan debt over; recovery never reads lending) ---


def open_loan_cases(requests: list[LoanCaseRequest], *, today: date | None = None) -> dict[UUID, CaseInfo]:
    """Open a loan case for each request, set-based ({loan public id: its open case}); a loan
    that already has an open case gets that case back. InvalidInput on a bad request."""
    from apps.identity import api as identity

    from .services.loans import loan_cases_open

    requests = list(requests)
    borrowers = {UUID(str(r.loan)): r.borrower for r in requests}
    opened = loan_cases_open(requests, today=today)
    orgs = {c.organization_id for c in opened.values()}
    public = {i: identity.get_organization(id=i).public_id for i in orgs}
    return {
        loan: _loan_info(case, public[case.organization_id], borrowers.get(loan))
        for loan, case in opened.items()
    }


def open_loan_case(request: LoanCaseRequest, *, today: date | None = None) -> CaseInfo:
    """Open the loan's case (idempotent: a second call for the same loan returns the open case)."""
    return open_loan_cases([request], today=today)[UUID(str(request.loan))]


def update_loan_case(
    *,
    loan: UUID,
    outstanding: Money,
    paid: int = 0,
    payment: str = "",
    oldest_due_date: date | None = None,
    pay_url: str | None = None,
) -> CaseInfo | None:
    """What the loan owes now (after a repayment: `paid`, recorded once per `payment`, the
    repayment's reference); nothing owed: the case closes as paid. None: no open case."""
    from .services.loans import loan_case_update

    case = loan_case_update(
        loan=loan,
        outstanding=outstanding,
        paid=paid,
        payment=payment,
        oldest_due_date=oldest_due_date,
        pay_url=pay_url,
    )
    return case_info(case) if case is not None else None


def close_loan_case(
    *, loan: UUID, reason: str, paid: int = 0, payment: str = "", note: str = ""
) -> CaseInfo | None:
    """End the loan's recovery: `paid`, `written_off` or `restructured` (LoanCloseReason).
    Idempotent: None when the loan has no open case."""
    from .services.loans import loan_case_close

    case = loan_case_close(loan=loan, reason=reason, paid=paid, payment=payment, note=note)
    return case_info(case) if case is not None else None


def _loan_info(case: Case, organization: UUID, borrower: UUID | None) -> CaseInfo:
    return CaseInfo(
        public_id=case.public_id,
        organization=organization,
        lease=None,
        tenant=UUID(str(borrower)) if borrower and case.tenant_id else None,
        status=CaseStatus(case.status),
        outcome=CaseOutcome(case.outcome),
        amount_owed=case.amount_owed,
        recovered=case.recovered,
        currency=case.currency,
        opened_on=case.opened_on,
        oldest_due_date=case.oldest_due_date,
        broken_promises=case.broken_promises,
        kind=CaseKind.LOAN,
        loan=case.loan,
        loan_reference=case.loan_reference,
    )


# --- the tenant's own commitments (the assistant acts for the signed-in tenant) ---


def _own_open_case(actor, case=None) -> Case:
    """The actor's own open case (the one named, else the newest): NoOpenCase otherwise —
    another tenant's case is never found."""
    from apps.identity import api as identity

    identity.authenticated(actor)
    rows = Case.objects.filter(tenant_id=actor.pk).exclude(status=CaseStatus.CLOSED)
    if case is not None:
        try:
            rows = rows.filter(public_id=UUID(str(case)))
        except (TypeError, ValueError):
            raise NoOpenCase(field="case") from None
    found = rows.order_by("-opened_on", "-id").first()
    if found is None:
        raise NoOpenCase(field="case" if case is not None else None)
    return found


def _plan_offer(plan: PaymentPlan) -> PlanOffer:
    from .services.commitments import PLAN_ACTION

    return PlanOffer(
        public_id=plan.public_id,
        case=plan.case.public_id,
        status=PlanStatus(plan.status),
        total=plan.total,
        currency=plan.currency,
        installments=tuple(
            PlanInstallmentInfo(
                seq=i.seq, due_on=i.due_on, amount=i.amount, paid=i.paid, status=InstallmentStatus(i.status)
            )
            for i in plan.installments.order_by("seq")
        ),
        step_up_action=PLAN_ACTION,
        step_up_target=str(plan.public_id),
        accepted_at=plan.accepted_at,
    )


def tenant_promise(
    *, actor, amount: int, promised_on: date, case=None, today: date | None = None
) -> PromiseInfo:
    """The signed-in tenant promises to pay `amount` by `promised_on` on their own open case
    (the newest, or `case`), as on the debtor portal (channel "portal"; the tenant is the
    actor): the ladder waits until then. Refusals: NoOpenCase, PromiseInPast, InvalidInput (more
    than MAX_PROMISE_DAYS away), PromiseAmountInvalid (not positive, or above what is owed),
    InvalidState (a plan runs)."""
    from .services.commitments import promise_create

    promise = promise_create(
        actor=actor,
        case=_own_open_case(actor, case),
        amount=amount,
        promised_on=promised_on,
        channel="portal",
        today=today,
    )
    return PromiseInfo(
        public_id=promise.public_id,
        case=promise.case.public_id,
        amount=promise.amount,
        currency=promise.currency,
        promised_on=promise.promised_on,
        status=PromiseStatus(promise.status),
        channel=promise.channel,
    )


def tenant_proposed_plan(actor, *, case=None) -> PlanOffer | None:
    """The payment plan proposed on the signed-in tenant's own open case (the newest, or
    `case`) and waiting for their acceptance, with its step-up binding; None when none waits.
    NoOpenCase when the tenant has no open case."""
    found = _own_open_case(actor, case)
    plan = PaymentPlan.objects.filter(case=found, status=PlanStatus.PROPOSED).order_by("-id").first()
    return _plan_offer(plan) if plan is not None else None


def tenant_plan_accept(*, actor, plan, step_up_token: str | None) -> PlanOffer:
    """The signed-in tenant accepts the plan proposed on their own case with the proof of
    identity's step-up of its binding (PlanOffer's step_up_action / target, total, currency),
    consumed here (StepUpRequired otherwise): the plan runs, the tenant gets its SMS.
    NoProposedPlan for a plan that is not theirs or no longer waiting."""
    from apps.identity import api as identity

    from .services.commitments import plan_accept

    identity.authenticated(actor)
    try:
        key = UUID(str(plan))
    except (TypeError, ValueError):
        raise NoProposedPlan(field="plan") from None
    row = (
        PaymentPlan.objects.select_related("case", "case__tenant")
        .filter(public_id=key, case__tenant_id=actor.pk, status=PlanStatus.PROPOSED)
        .exclude(case__status=CaseStatus.CLOSED)
        .first()
    )
    if row is None:
        raise NoProposedPlan(field="plan")
    return _plan_offer(plan_accept(plan=row, step_up_token=step_up_token))


# --- analytics' reports (HokweReporting) ---


def collector_performance(
    organization: UUID, *, start: date, end: date, property: UUID | None = None, owner: UUID | None = None
):
    """[CollectorPerformance] of the organization (public id) from `start` to `end`: per
    collector and currency, the cases live, opened and closed, still owed, recovered and the
    calls, visits and promises; the most recovered first. Four queries; no access check (the
    caller checks the actor may read the organization's reports)."""
    from .services.reporting import collector_performance as read

    return read(organization, start=start, end=end, property=property, owner=owner)
