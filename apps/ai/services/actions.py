"""What the assistant prepared, confirmed by the user (docs/ai.md, « Actions »).

A money tool never acts (services/tools.py): it checks and writes a PreparedAction. The user
confirms it in the app with identity's step-up bound to that action — always, whatever the
amount:

    binding = step_up_binding(action)            # {"action", "target", "amount", "currency"}
    challenge = identity.step_up_start(actor=u, **binding)          # an SMS code (or the app)
    proof = identity.step_up_verify(actor=u, challenge_id=…, code=…)
    confirm_action(actor=u, action=action.public_id, step_up_token=proof.token)

`confirm_action` runs the action through the module's public api, under a lock of the action's
row, in one transaction with the step-up's check: done (its result recorded) or failed (the
refusal recorded; nothing paid). Confirming a done action again returns it: it is never run
twice. Each kind (`KINDS`) says how it is run, which step-up binding confirms it, and whether
the module itself checks that step-up — then the assistant does not consume the proof first
(identity's proofs are single-use) and the module's check is the one; one code serves both:

    pay_due_from_wallet   binding: the assistant's own (ai.action.confirm, the action, amount,
                          currency), checked here. estate.due_payment_intent(due, payer=the
                          user) -> payments.pay_with_wallet (the pay page's wallet payment:
                          kyc's limits, a failed attempt on too low a balance; estate applies
                          it and issues the quittance on PaymentSucceeded)
    send_money            binding: the wallet's own (wallet.transfer.send, the preview id, the
                          amount, the currency: a strong action, the authenticator app or a
                          passkey). wallet.p2p_confirm(preview token, idempotency key
                          ai:action:<id>): above WALLET_P2P_STEP_UP_ABOVE the wallet checks
                          the proof (`wallet.p2p_step_up_needed`); below it, it is checked here
    accept_recovery_plan  binding: recovery's own (recovery.plan.accept, the plan, its total,
                          its currency). recovery.tenant_plan_accept consumes the proof itself
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from apps.core.errors import DomainError, NotFound
from apps.estate import api as estate
from apps.identity import api as identity
from apps.payments import api as payments
from apps.payments.contracts import IntentStatus
from apps.recovery import api as recovery
from apps.wallet import api as wallet

from ..errors import ActionAmountChanged, ActionExpired, ActionNotPending
from ..models import PreparedAction
from .tools import (
    ACCEPT_RECOVERY_PLAN,
    PAY_DUE_FROM_WALLET,
    SEND_MONEY,
    ToolUnavailable,
    WalletBalanceTooLow,
    _usable_wallet,
    money,
)

__all__ = [
    "KINDS",
    "STEP_UP_ACTION",
    "ActionAmountChanged",
    "ActionExpired",
    "ActionKind",
    "ActionNotPending",
    "cancel_action",
    "confirm_action",
    "expire_actions",
    "step_up_binding",
]

STEP_UP_ACTION = "ai.action.confirm"
S = PreparedAction.Status
# refusals that leave the action waiting: the user answers them and confirms again
_ASK_AGAIN = (identity.StepUpRequired, identity.SecondFactorRequired, identity.StrongActionHeld)


# --- the kinds: binding, whether the module checks it, how each is run -----------------------


def own_binding(action: PreparedAction) -> dict:
    """The assistant's own step-up of an action: (ai.action.confirm, its id, amount, currency)."""
    return {
        "action": STEP_UP_ACTION,
        "target": str(action.public_id),
        "amount": action.amount,
        "currency": action.currency or None,
    }


def module_binding(action: PreparedAction) -> dict:
    """The module's own step-up of the operation, as its tool stored it from the module's
    preview or offer (`step_up_action`, `step_up_target`) with the action's amount."""
    return {
        "action": action.params["step_up_action"],
        "target": action.params["step_up_target"],
        "amount": action.amount,
        "currency": action.currency or None,
    }


@dataclass(frozen=True)
class ActionKind:
    run: Callable[..., dict]  # run(actor, action, step_up_token) -> the result recorded
    binding: Callable[[PreparedAction], dict] = own_binding  # step_up_start's keywords
    # whether the module checks (and consumes) the step-up itself for this action: then the
    # proof is handed to it, not consumed here
    module_checks: Callable[[PreparedAction], bool] = lambda action: False


def _pay_due_from_wallet(actor, action: PreparedAction, step_up_token: str | None) -> dict:
    intent = estate.due_payment_intent(UUID(action.params["due"]), payer=actor.public_id)
    if intent.amount != action.amount or intent.currency != action.currency:
        raise ActionAmountChanged()
    _usable_wallet(actor, intent.currency)
    paid = payments.pay_with_wallet(actor=actor, intent=intent.public_id)
    if paid.status != IntentStatus.SUCCEEDED:
        # too low a balance: payments recorded a failed attempt; rolled back with the rest
        raise WalletBalanceTooLow()
    return {
        "due": action.params["due"],
        "intent": str(paid.public_id),
        "paid": money(paid.amount, paid.currency),
        "receipt_number": paid.receipt_number,
        "receipt_url": paid.receipt_url,
    }


def _send_money(actor, action: PreparedAction, step_up_token: str | None) -> dict:
    sent = wallet.p2p_confirm(
        actor=actor,
        preview_token=action.params["preview_token"],
        idempotency_key=f"ai:action:{action.public_id}",  # a retry is the same transfer
        step_up_token=step_up_token,
    )
    return {
        "transfer": str(sent.public_id),
        "status": str(sent.status),
        "sent": money(sent.amount, sent.currency),
        "fee": money(sent.fee, sent.currency),
        "to": sent.counterpart_name or sent.counterpart_phone,
    }


def _accept_recovery_plan(actor, action: PreparedAction, step_up_token: str | None) -> dict:
    plan = recovery.tenant_plan_accept(actor=actor, plan=action.params["plan"], step_up_token=step_up_token)
    if plan.total != action.amount or plan.currency != action.currency:  # rolled back with it
        raise ActionAmountChanged()
    first = plan.installments[0] if plan.installments else None
    return {
        "plan": str(plan.public_id),
        "status": str(plan.status),
        "total": money(plan.total, plan.currency),
        "installments": len(plan.installments),
        "next_date": first.due_on.isoformat() if first else None,
        "next_amount": money(first.amount, plan.currency) if first else None,
    }


KINDS: dict[str, ActionKind] = {
    PAY_DUE_FROM_WALLET: ActionKind(run=_pay_due_from_wallet),
    SEND_MONEY: ActionKind(
        run=_send_money,
        binding=module_binding,
        module_checks=lambda action: wallet.p2p_step_up_needed(action.amount),
    ),
    ACCEPT_RECOVERY_PLAN: ActionKind(
        run=_accept_recovery_plan, binding=module_binding, module_checks=lambda action: True
    ),
}


# --- confirm, cancel, expire ----------------------------------------------------------------


def step_up_binding(action: PreparedAction) -> dict:
    """What the app starts identity's step-up with for this action (step_up_start's keywords):
    its kind's binding (the assistant's own, or the module's that checks it)."""
    kind = KINDS.get(action.kind)
    return kind.binding(action) if kind is not None else own_binding(action)


def _own(actor, action) -> PreparedAction:
    """The actor's own action, else NotFound (another user's action is never found)."""
    identity.authenticated(actor)
    try:
        public_id = action if isinstance(action, UUID) else UUID(str(action))
    except (TypeError, ValueError):
        raise NotFound(field="action") from None
    row = PreparedAction.objects.filter(public_id=public_id, user_id=actor.pk).first()
    if row is None:
        raise NotFound(field="action")
    return row


def _locked(row: PreparedAction) -> PreparedAction:
    return PreparedAction.objects.select_for_update().get(pk=row.pk)


def _refusal(error: DomainError) -> dict:
    return {"refused": error.code, "message": str(error.message)}


def confirm_action(*, actor, action: UUID, step_up_token: str | None) -> PreparedAction:
    """Run the actor's pending action, with identity's step-up proof bound to it
    (`step_up_binding`). Returns it done (`result`) or failed (`result` {"refused", "message"}:
    nothing was done). Raises NotFound (not the actor's), ActionExpired, ActionNotPending
    (cancelled, expired or failed before), and — the action still waiting — StepUpRequired,
    SecondFactorRequired or StrongActionHeld. A done action is returned as it is."""
    row = _own(actor, action)
    if row.status == S.DONE:
        return row
    if row.status != S.PENDING:
        raise ActionNotPending()
    if row.expires_at <= timezone.now():
        PreparedAction.objects.filter(pk=row.pk, status=S.PENDING).update(
            status=S.EXPIRED, updated_at=timezone.now()
        )
        raise ActionExpired()
    kind = KINDS.get(row.kind)
    try:
        with transaction.atomic():
            locked = _locked(row)
            if locked.status == S.DONE:  # a confirmation that ran while we waited for the lock
                return locked
            if locked.status != S.PENDING:
                raise ActionNotPending()
            if kind is not None and kind.module_checks(locked):
                # the module consumes the proof of its own binding in its transaction: none
                # is refused here already, a wrong one by the module (the action waits)
                if not step_up_token:
                    raise identity.StepUpRequired()
                handed = step_up_token
            else:
                identity.require_step_up(actor=actor, token=step_up_token, **step_up_binding(locked))
                handed = None
            if kind is None:
                raise ToolUnavailable()
            result = kind.run(actor, locked, handed)
            locked.status = S.DONE
            locked.result = result
            locked.done_at = timezone.now()
            locked.save(update_fields=["status", "result", "done_at", "updated_at"])
            return locked
    except (*_ASK_AGAIN, ActionNotPending):
        raise
    except DomainError as refused:
        with transaction.atomic():
            locked = _locked(row)
            if locked.status == S.PENDING:
                locked.status = S.FAILED
                locked.result = _refusal(refused)
                locked.save(update_fields=["status", "result", "updated_at"])
        return locked


def cancel_action(*, actor, action: UUID) -> PreparedAction:
    """The actor drops their pending action (a cancelled one is returned as it is)."""
    row = _own(actor, action)
    with transaction.atomic():
        locked = _locked(row)
        if locked.status == S.CANCELLED:
            return locked
        if locked.status != S.PENDING:
            raise ActionNotPending()
        locked.status = S.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        return locked


def expire_actions(now: datetime | None = None) -> int:
    """Pending actions past their time become expired (a beat task calls it). Returns how many."""
    now = now or timezone.now()
    return PreparedAction.objects.filter(status=S.PENDING, expires_at__lte=now).update(
        status=S.EXPIRED, updated_at=now
    )
