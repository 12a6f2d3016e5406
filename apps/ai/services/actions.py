"""What the assistant prepared, confirmed by the user (docs/ai.md, « Actions »).

A money tool never acts (services/tools.py): it checks and writes a PreparedAction. The user
confirms it in the app with identity's step-up bound to that action — always, whatever the
amount:

    binding = step_up_binding(action)            # {"action": "ai.action.confirm", "target", "amount", "currency"}
    challenge = identity.step_up_start(actor=u, **binding)          # an SMS code (or the app)
    proof = identity.step_up_verify(actor=u, challenge_id=…, code=…)
    confirm_action(actor=u, action=action.public_id, step_up_token=proof.token)

`confirm_action` runs the action through the module's public api, under a lock of the action's
row, in one transaction with the step-up's check: done (its result recorded) or failed (the
refusal recorded; nothing paid). Confirming a done action again returns it: it is never run
twice. Kinds and how each is run:

    pay_due_from_wallet  estate.due_payment_intent(due, payer=the user) -> payments.pay_with_wallet
                         (the pay page's wallet payment: kyc's limits, a failed attempt on too low
                         a balance; estate applies it and issues the quittance, the wallet counts
                         the outflow, on PaymentSucceeded)
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from apps.core.errors import DomainError, NotFound
from apps.estate import api as estate
from apps.identity import api as identity
from apps.payments import api as payments
from apps.payments.contracts import IntentStatus

from ..errors import ActionAmountChanged, ActionExpired, ActionNotPending
from ..models import PreparedAction
from .tools import PAY_DUE_FROM_WALLET, ToolUnavailable, WalletBalanceTooLow, _usable_wallet, money

__all__ = [
    "STEP_UP_ACTION",
    "ActionAmountChanged",
    "ActionExpired",
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


# --- running each kind ----------------------------------------------------------------------


def _pay_due_from_wallet(actor, action: PreparedAction) -> dict:
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


EXECUTORS = {PAY_DUE_FROM_WALLET: _pay_due_from_wallet}


# --- confirm, cancel, expire ----------------------------------------------------------------


def step_up_binding(action: PreparedAction) -> dict:
    """What the app starts identity's step-up with for this action (step_up_start's keywords)."""
    return {
        "action": STEP_UP_ACTION,
        "target": str(action.public_id),
        "amount": action.amount,
        "currency": action.currency or None,
    }


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
    run = EXECUTORS.get(row.kind)
    try:
        with transaction.atomic():
            locked = _locked(row)
            if locked.status == S.DONE:  # a confirmation that ran while we waited for the lock
                return locked
            if locked.status != S.PENDING:
                raise ActionNotPending()
            identity.require_step_up(
                actor=actor,
                token=step_up_token,
                **step_up_binding(locked),
            )
            if run is None:
                raise ToolUnavailable()
            result = run(actor, locked)
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
