"""Withdrawal to the user's own mobile money number (docs/wallet.md, "Money rules and
postings": withdrawal).

A payments user payout from the wallet's ledger account to the user's login number, carried by
the payout provider (MTN MoMo's disbursement, the sandbox in tests): a ledger HOLD at once
(wallet → the provider's clearing), POSTED when the provider confirms, VOIDED when it fails
(payments' PayoutCompleted; `withdrawal_completed` follows it here). Money out of Hokwe for
good: the strong step-up (authenticator app or passkey, `wallet.withdrawal.create`) and kyc's
daily outflow (counted at the request, given back if the payout fails the same day).
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.errors import IdempotencyConflict
from apps.identity import api as identity
from apps.ledger import api as ledger
from apps.notifications import api as notifications
from apps.payments import api as payments

from ..errors import InvalidAmount, NotOwnNumber, WalletInsufficientBalance, WithdrawalTooSmall
from ..models import Wallet, Withdrawal
from .topups import issuer_organization
from .wallets import record_outflow, release_outflow, wallet_for

__all__ = ["STEP_UP_ACTION", "withdrawal_completed", "withdrawal_request"]

STEP_UP_ACTION = "wallet.withdrawal.create"
WITHDRAWAL_SENT = "wallet.withdrawal_sent"
WITHDRAWAL_FAILED = "wallet.withdrawal_failed"


def _own_number(actor, phone: str | None) -> str:
    own = identity.get_user(id=actor.pk).phone or ""
    if not phone:
        phone = own
    try:
        wanted = identity.normalize_phone(phone)
        mine = identity.normalize_phone(own) if own else ""
    except identity.InvalidPhone:
        raise NotOwnNumber(field="phone") from None
    if not mine or wanted != mine:
        raise NotOwnNumber(field="phone")
    return str(wanted)


def withdrawal_request(
    *,
    actor,
    amount: int,
    currency: str = "XOF",
    phone: str | None = None,
    step_up_token: str | None,
    idempotency_key: str,
) -> Withdrawal:
    """Withdraw `amount` from the actor's wallet to their own number (`phone`, default their
    login number; any other is refused). Idempotent on `idempotency_key` per wallet."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidAmount(field="amount")
    if amount < settings.WALLET_WITHDRAWAL_MIN:
        raise WithdrawalTooSmall(field="amount")
    key = (idempotency_key or "").strip()[:200]
    if not key:
        raise IdempotencyConflict(field="Idempotency-Key")
    wallet = wallet_for(actor, currency)
    existing = Withdrawal.objects.filter(wallet=wallet, idempotency_key=key).first()
    if existing is not None:
        if existing.amount != amount:
            raise IdempotencyConflict(field="Idempotency-Key")
        return existing
    number = _own_number(actor, phone)
    identity.require_step_up(
        actor=actor,
        action=STEP_UP_ACTION,
        target=str(wallet.public_id),
        amount=amount,
        currency=currency,
        token=step_up_token,
    )
    issuer = issuer_organization()
    wallet.user = actor
    try:
        with transaction.atomic():
            day = record_outflow(wallet, amount, kyc_operation="withdrawal")
            withdrawal = Withdrawal.objects.create(
                wallet=wallet,
                amount=amount,
                currency=currency,
                phone=number,
                usage_day=day,
                idempotency_key=key,
            )
            try:
                payout = payments.user_payout(
                    actor=actor,
                    organization=issuer.public_id,
                    account=wallet.account,
                    amount=amount,
                    currency=currency,
                    phone=number,
                    idempotency_key=f"wallet:withdrawal:{withdrawal.public_id}",
                    description=f"Retrait portefeuille ****{number[-4:]}",
                )
            except ledger.InsufficientFunds:
                raise WalletInsufficientBalance(field="amount") from None
            withdrawal.payout = payout.public_id
            withdrawal.save(update_fields=["payout", "updated_at"])
    except IntegrityError:
        existing = Withdrawal.objects.filter(wallet=wallet, idempotency_key=key).first()
        if existing is None:
            raise
        return existing
    return withdrawal


def withdrawal_completed(*, payout_id: str, status: str) -> Withdrawal | None:
    """payments' PayoutCompleted for a withdrawal's payout: `paid` (the hold was posted) or
    `failed` (voided: the money is back, the day's outflow given back). Idempotent."""
    with transaction.atomic():
        withdrawal = (
            Withdrawal.objects.select_for_update().select_related("wallet").filter(payout=payout_id).first()
        )
        if withdrawal is None or withdrawal.status != Withdrawal.Status.REQUESTED:
            return withdrawal
        now = timezone.now()
        if status == "paid":
            withdrawal.status = Withdrawal.Status.PAID
            template = WITHDRAWAL_SENT
        else:
            withdrawal.status = Withdrawal.Status.FAILED
            withdrawal.failure_reason = payments.payout_state(withdrawal.payout).failure_reason[:300]
            release_outflow(withdrawal.wallet, withdrawal.amount, day=withdrawal.usage_day)
            template = WITHDRAWAL_FAILED
        withdrawal.completed_at = now
        withdrawal.save(update_fields=["status", "failure_reason", "completed_at", "updated_at"])
        user = identity.get_user(id=withdrawal.wallet.user_id)
        context = {
            "amount": {"amount": withdrawal.amount, "currency": withdrawal.currency},
            "phone": f"****{withdrawal.phone[-4:]}",
        }
        transaction.on_commit(
            lambda: notifications.send(
                user.public_id,
                template,
                context,
                idempotency_key=f"wallet:withdrawal:{withdrawal.public_id}:{status}",
            )
        )
    return withdrawal


def withdrawals_of(wallet: Wallet):
    return Withdrawal.objects.filter(wallet=wallet).order_by("-created_at", "-id")
