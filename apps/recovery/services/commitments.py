"""Promises to pay and payment plans (échéanciers): the ladder waits while a commitment
runs; a broken promise escalates, a missed installment resumes the ladder where it stopped."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.outbox import publish
from apps.estate import api as estate
from apps.identity import api as identity
from apps.notifications import api as notifications

from .. import metrics
from ..contracts import CaseStatus, EventKind, InstallmentStatus, PlanStatus, PromiseStatus
from ..errors import (
    InvalidInput,
    InvalidState,
    PlanDatesInvalid,
    PlanDoesNotSumToDebt,
    PromiseAmountInvalid,
    PromiseInPast,
)
from ..events import PromiseBroken
from ..messages import RECOVERY_PLAN
from ..models import Case, Installment, PaymentPlan, Promise
from .common import event, portal_url, refuse_for_loan, require
from .states import PLAN_STATES, PROMISE_STATES

MAX_PROMISE_DAYS = 90
MAX_INSTALLMENTS = 24
MAX_PLAN_DAYS = 730
PLAN_ACTION = "recovery.plan.accept"


def _live(case: Case) -> Case:
    from .cases import _locked

    return _locked(case)


def _check_actor(actor, case: Case, channel: str) -> None:
    """The portal (the case token is the proof) or someone allowed to work the case."""
    if channel == "portal":
        return
    require(actor, "recovery.case.work", case)


# --- promises -------------------------------------------------------------------------------------


def promise_create(
    *,
    actor,
    case: Case,
    amount: int,
    promised_on: date,
    channel: str | None = None,
    today: date | None = None,
) -> Promise:
    """The tenant promises to pay `amount` by `promised_on`: the ladder pauses until then. A
    new promise replaces a pending one. The channel is `portal` for the debtor portal, else
    who took it: `collector` (the case's collector) or `manager`."""
    if channel is None:
        channel = (
            "collector"
            if actor is not None and case.collector_id == getattr(actor, "pk", None)
            else "manager"
        )
    _check_actor(actor, case, channel)
    today = today or timezone.localdate()
    if not isinstance(promised_on, date):
        raise InvalidInput(field="promised_on")
    if promised_on < today:
        raise PromiseInPast(field="promised_on")
    if promised_on > today + timedelta(days=MAX_PROMISE_DAYS):
        raise InvalidInput(
            _("A promise cannot be more than %(days)d days away.") % {"days": MAX_PROMISE_DAYS},
            field="promised_on",
        )
    with transaction.atomic():
        case = _live(case)
        if (
            isinstance(amount, bool)
            or not isinstance(amount, int)
            or amount <= 0
            or amount > case.amount_owed
        ):
            raise PromiseAmountInvalid(field="amount")
        if case.status == CaseStatus.PLAN:
            raise InvalidState(_("A payment plan is running on this case."))
        Promise.objects.filter(case=case, status=PromiseStatus.PENDING).update(
            status=PromiseStatus.CANCELED, resolved_at=timezone.now()
        )
        promise = Promise.objects.create(
            case=case,
            amount=amount,
            currency=case.currency,
            promised_on=promised_on,
            recovered_before=case.recovered,
            made_by=actor if getattr(actor, "pk", None) else None,
            channel=channel[:12],
        )
        if case.status != CaseStatus.LEGAL:
            case.status = CaseStatus.PROMISED
        case.paused_until = promised_on
        case.next_action_on = promised_on + timedelta(days=1)
        case.save(update_fields=["status", "paused_until", "next_action_on", "updated_at"])
        event(
            case,
            EventKind.PROMISE,
            actor=actor,
            amount=amount,
            data={
                "promise": str(promise.public_id),
                "promised_on": promised_on.isoformat(),
                "channel": channel,
            },
        )
        metrics.PROMISES.labels(status="made").inc()
        return promise


def promise_cancel(*, actor, promise: Promise) -> Promise:
    require(actor, "recovery.case.manage", promise.case)
    with transaction.atomic():
        case = _live(promise.case)
        promise = Promise.objects.select_for_update().get(pk=promise.pk)
        PROMISE_STATES.check(promise.status, PromiseStatus.CANCELED)
        promise.status = PromiseStatus.CANCELED
        promise.resolved_at = timezone.now()
        promise.save(update_fields=["status", "resolved_at", "updated_at"])
        _resume(case)
        event(
            case,
            EventKind.NOTE,
            actor=actor,
            text=_("Promise canceled."),
            data={"promise": str(promise.public_id)},
        )
        return promise


def _resume(case: Case, *, escalate: bool = False) -> None:
    if case.status in (CaseStatus.PROMISED, CaseStatus.PLAN):
        case.status = CaseStatus.OPEN
    case.paused_until = None
    case.escalate = escalate
    case.next_action_on = timezone.localdate()
    case.save(update_fields=["status", "paused_until", "escalate", "next_action_on", "updated_at"])


# --- plans ------------------------------------------------------------------------------------------


def plan_propose(
    *,
    actor,
    case: Case,
    installments: list[tuple[date, int]],
    channel: str = "manager",
    today: date | None = None,
) -> PaymentPlan:
    """Split the debt into installments (dates strictly increasing, from today on; amounts
    adding up exactly to what is owed). The tenant accepts it by OTP (plan_accept_*). A loan
    case has no plan here: a new schedule for a loan is lending's restructuring."""
    _check_actor(actor, case, channel)
    refuse_for_loan(case)
    today = today or timezone.localdate()
    if not installments or len(installments) < 2 or len(installments) > MAX_INSTALLMENTS:
        raise InvalidInput(
            _("A plan has between 2 and %(n)d installments.") % {"n": MAX_INSTALLMENTS}, field="installments"
        )
    dates = [d for d, _a in installments]
    amounts = [a for _d, a in installments]
    if any(not isinstance(d, date) for d in dates):
        raise PlanDatesInvalid(field="installments")
    if dates[0] < today or any(b <= a for a, b in zip(dates, dates[1:], strict=False)):
        raise PlanDatesInvalid(field="installments")
    if dates[-1] > today + timedelta(days=MAX_PLAN_DAYS):
        raise PlanDatesInvalid(field="installments")
    if any(isinstance(a, bool) or not isinstance(a, int) or a <= 0 for a in amounts):
        raise InvalidInput(_("Every installment must be a positive amount."), field="installments")
    with transaction.atomic():
        case = _live(case)
        if sum(amounts) != case.amount_owed:
            raise PlanDoesNotSumToDebt(field="installments")
        PaymentPlan.objects.filter(case=case, status=PlanStatus.PROPOSED).update(
            status=PlanStatus.CANCELED, resolved_at=timezone.now()
        )
        if PaymentPlan.objects.filter(case=case, status=PlanStatus.ACTIVE).exists():
            raise InvalidState(_("A payment plan is already running on this case."))
        plan = PaymentPlan.objects.create(
            case=case,
            total=case.amount_owed,
            currency=case.currency,
            proposed_by=actor if getattr(actor, "pk", None) else None,
            channel=channel[:12],
        )
        Installment.objects.bulk_create(
            [Installment(plan=plan, seq=i + 1, due_on=d, amount=a) for i, (d, a) in enumerate(installments)]
        )
        event(
            case,
            EventKind.PLAN_PROPOSED,
            actor=actor,
            amount=plan.total,
            data={"plan": str(plan.public_id), "installments": len(installments), "channel": channel},
        )
        return plan


def plan_accept_start(*, plan: PaymentPlan):
    """Send the OTP that accepts the plan to the tenant's phone (identity's step-up, bound to
    this plan and its total). Returns the challenge (its id goes back with the code)."""
    case = plan.case
    PLAN_STATES.check(plan.status, PlanStatus.ACTIVE)
    if case.status == CaseStatus.CLOSED:
        raise InvalidState()
    if case.tenant is None or not case.tenant.phone:
        raise InvalidState(_("The tenant has no phone number to confirm the plan."))
    challenge = identity.step_up_start(
        actor=case.tenant,
        action=PLAN_ACTION,
        target=str(plan.public_id),
        amount=plan.total,
        currency=plan.currency,
    )
    PaymentPlan.objects.filter(pk=plan.pk).update(challenge=challenge.challenge_id[:64])
    return challenge


def plan_accept_verify(*, plan: PaymentPlan, challenge_id: str, code: str) -> PaymentPlan:
    """The tenant typed the code: the plan runs, the ladder waits for it."""
    case = plan.case
    if case.tenant is None:
        raise InvalidState()
    proof = identity.step_up_verify(actor=case.tenant, challenge_id=challenge_id, code=code)
    return plan_accept(plan=plan, step_up_token=proof.token)


def plan_accept(*, plan: PaymentPlan, step_up_token: str | None) -> PaymentPlan:
    """Accept the plan with the tenant's step-up proof of (PLAN_ACTION, the plan, its total,
    its currency) — from the portal's SMS code (plan_accept_verify) or a step-up the tenant
    answered in the app (api.tenant_plan_accept): the plan runs, the ladder waits for it. The
    proof is consumed here, in the acceptance's transaction (StepUpRequired otherwise)."""
    case = plan.case
    if case.tenant is None:
        raise InvalidState()
    with transaction.atomic():
        case = _live(case)
        if case.status == CaseStatus.CLOSED:
            from ..errors import CaseClosedError

            raise CaseClosedError()
        plan = PaymentPlan.objects.select_for_update().get(pk=plan.pk)
        identity.require_step_up(
            actor=case.tenant,
            action=PLAN_ACTION,
            target=str(plan.public_id),
            amount=plan.total,
            currency=plan.currency,
            token=step_up_token,
        )
        PLAN_STATES.check(plan.status, PlanStatus.ACTIVE)
        plan.status = PlanStatus.ACTIVE
        plan.accepted_at = timezone.now()
        plan.recovered_before = case.recovered
        plan.save(update_fields=["status", "accepted_at", "recovered_before", "updated_at"])
        Promise.objects.filter(case=case, status=PromiseStatus.PENDING).update(
            status=PromiseStatus.CANCELED, resolved_at=timezone.now()
        )
        first = plan.installments.order_by("seq").first()
        if case.status != CaseStatus.LEGAL:
            case.status = CaseStatus.PLAN
        case.paused_until = None
        case.escalate = False
        case.next_action_on = first.due_on + timedelta(days=1)
        case.save(update_fields=["status", "paused_until", "escalate", "next_action_on", "updated_at"])
        event(
            case,
            EventKind.PLAN_ACCEPTED,
            actor=case.tenant,
            amount=plan.total,
            data={"plan": str(plan.public_id)},
        )
        notifications.send(
            case.tenant.public_id,
            RECOVERY_PLAN,
            {
                "tenant_name": case.tenant_name or "-",
                "total": {"amount": plan.total, "currency": plan.currency},
                "installments": plan.installments.count(),
                "next_amount": {"amount": first.amount, "currency": plan.currency},
                "next_date": first.due_on.isoformat(),
                "pay_url": portal_url(case),
            },
            idempotency_key=f"recovery:plan:{plan.public_id}",
            organization=str(identity.get_organization(id=case.organization_id).public_id),
        )
        return plan


def plan_cancel(*, actor, plan: PaymentPlan) -> PaymentPlan:
    require(actor, "recovery.case.manage", plan.case)
    with transaction.atomic():
        case = _live(plan.case)
        plan = PaymentPlan.objects.select_for_update().get(pk=plan.pk)
        PLAN_STATES.check(plan.status, PlanStatus.CANCELED)
        was_active = plan.status == PlanStatus.ACTIVE
        plan.status = PlanStatus.CANCELED
        plan.resolved_at = timezone.now()
        plan.save(update_fields=["status", "resolved_at", "updated_at"])
        if was_active:
            _resume(case)
        event(
            case,
            EventKind.NOTE,
            actor=actor,
            text=_("Payment plan canceled."),
            data={"plan": str(plan.public_id)},
        )
        return plan


# --- pay links ----------------------------------------------------------------------------------------


def debt_pay_link(*, case: Case, amount: int | None = None, actor=None):
    """A payment intent for all (default) or part of the case's debt (payments' IntentInfo).
    `actor`: someone working the case (`recovery.case.work`); none on the debtor portal,
    where the case token is the proof."""
    if actor is not None:
        require(actor, "recovery.case.work", case)
    refuse_for_loan(case)  # a loan is repaid through lending's link (`case.pay_url`)
    if case.status == CaseStatus.CLOSED:
        from ..errors import CaseClosedError

        raise CaseClosedError()
    amount = case.amount_owed if amount is None else amount
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0 or amount > case.amount_owed:
        raise InvalidInput(_("Choose an amount between 1 and what is owed."), field="amount")
    return estate.lease_debt_intent(
        case.lease,
        amount=amount,
        idempotency_key=f"recovery:debt:{case.public_id}:{case.recovered}:{amount}",
        description=f"Impayés {case.lease_reference} — {case.property_name}, {case.unit_label}",
        metadata={"recovery_case": str(case.public_id)},
    )


def installment_pay_link(*, installment: Installment):
    plan = installment.plan
    if plan.status != PlanStatus.ACTIVE or installment.status == InstallmentStatus.PAID:
        raise InvalidState()
    case = plan.case
    refuse_for_loan(case)
    amount = min(installment.outstanding, case.amount_owed)
    return estate.lease_debt_intent(
        case.lease,
        amount=amount,
        idempotency_key=f"recovery:installment:{installment.public_id}:{installment.paid}",
        description=f"Échéancier {case.lease_reference} — {installment.seq}/{plan.installments.count()}",
        metadata={"recovery_case": str(case.public_id), "recovery_installment": str(installment.public_id)},
    )


# --- following payments and dates ---------------------------------------------------------------------


def payment_progress(case: Case, *, today: date) -> None:
    """After a payment on a locked, still open case: is the promise kept, how far is the plan?"""
    promise = Promise.objects.filter(case=case, status=PromiseStatus.PENDING).first()
    if promise is not None and case.recovered - promise.recovered_before >= promise.amount:
        promise.status = PromiseStatus.KEPT
        promise.resolved_at = timezone.now()
        promise.save(update_fields=["status", "resolved_at", "updated_at"])
        event(case, EventKind.PROMISE_KEPT, amount=promise.amount, data={"promise": str(promise.public_id)})
        metrics.PROMISES.labels(status="kept").inc()
        _resume(case)
    plan = PaymentPlan.objects.filter(case=case, status=PlanStatus.ACTIVE).first()
    if plan is not None:
        _plan_allocate(case, plan)


def _plan_allocate(case: Case, plan: PaymentPlan) -> None:
    """What was paid since the plan started fills its installments in order."""
    left = case.recovered - plan.recovered_before
    rows = list(plan.installments.select_for_update().order_by("seq"))
    for inst in rows:
        part = max(min(inst.amount, left), 0)
        left -= part
        if inst.paid != part or (part == inst.amount and inst.status != InstallmentStatus.PAID):
            inst.paid = part
            if part == inst.amount:
                inst.status = InstallmentStatus.PAID
            inst.save(update_fields=["paid", "status", "updated_at"])
    unpaid = [i for i in rows if i.status != InstallmentStatus.PAID]
    if not unpaid:
        plan.status = PlanStatus.COMPLETED
        plan.resolved_at = timezone.now()
        plan.save(update_fields=["status", "resolved_at", "updated_at"])
        event(case, EventKind.PLAN_COMPLETED, amount=plan.total, data={"plan": str(plan.public_id)})
        _resume(case)
    else:
        case.next_action_on = unpaid[0].due_on + timedelta(days=1)
        case.save(update_fields=["next_action_on", "updated_at"])


def commitments_check(*, today: date | None = None) -> dict:
    """Daily: promises past their date unpaid are broken (escalation; counted against the
    tenant), plans with an installment past its date unpaid are broken (the ladder resumes
    where it stopped)."""
    today = today or timezone.localdate()
    broken = missed = 0
    for promise_id in Promise.objects.filter(status=PromiseStatus.PENDING, promised_on__lt=today).values_list(
        "id", flat=True
    ):
        with transaction.atomic():
            promise = Promise.objects.select_for_update().select_related("case").get(pk=promise_id)
            case = Case.objects.select_for_update().get(pk=promise.case_id)
            if promise.status != PromiseStatus.PENDING:
                continue
            if case.recovered - promise.recovered_before >= promise.amount:
                promise.status = PromiseStatus.KEPT
                promise.resolved_at = timezone.now()
                promise.save(update_fields=["status", "resolved_at", "updated_at"])
                continue
            promise.status = PromiseStatus.BROKEN
            promise.resolved_at = timezone.now()
            promise.save(update_fields=["status", "resolved_at", "updated_at"])
            case.broken_promises += 1
            case.save(update_fields=["broken_promises", "updated_at"])
            _resume(case, escalate=True)
            event(
                case,
                EventKind.PROMISE_BROKEN,
                amount=promise.amount,
                data={"promise": str(promise.public_id), "promised_on": promise.promised_on.isoformat()},
            )
            publish(
                PromiseBroken(
                    case_id=str(case.public_id),
                    organization_id=str(identity.get_organization(id=case.organization_id).public_id),
                    tenant_id=str(case.tenant.public_id) if case.tenant_id else "",
                    promise_id=str(promise.public_id),
                    amount=promise.amount,
                    currency=promise.currency,
                    promised_on=promise.promised_on.isoformat(),
                    broken_promises=case.broken_promises,
                )
            )
            metrics.PROMISES.labels(status="broken").inc()
            broken += 1
    late = (
        Installment.objects.filter(
            plan__status=PlanStatus.ACTIVE, status=InstallmentStatus.PENDING, due_on__lt=today
        )
        .values_list("plan_id", flat=True)
        .distinct()
    )
    for plan_id in list(late):
        with transaction.atomic():
            plan = PaymentPlan.objects.select_for_update().get(pk=plan_id)
            case = Case.objects.select_for_update().get(pk=plan.case_id)
            if plan.status != PlanStatus.ACTIVE:
                continue
            overdue = list(
                plan.installments.filter(status=InstallmentStatus.PENDING, due_on__lt=today).order_by("seq")
            )
            if not overdue:
                continue
            Installment.objects.filter(pk__in=[i.pk for i in overdue]).update(status=InstallmentStatus.MISSED)
            plan.status = PlanStatus.BROKEN
            plan.resolved_at = timezone.now()
            plan.save(update_fields=["status", "resolved_at", "updated_at"])
            _resume(case)
            event(
                case,
                EventKind.INSTALLMENT_MISSED,
                amount=overdue[0].outstanding,
                data={
                    "plan": str(plan.public_id),
                    "seq": overdue[0].seq,
                    "due_on": overdue[0].due_on.isoformat(),
                },
            )
            missed += 1
    return {"promises_broken": broken, "plans_broken": missed}
