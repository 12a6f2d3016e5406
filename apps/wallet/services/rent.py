"""Paying a landlord's rent due from a ledger account: the wallet, a tontine pot, a HokweSplit
vault (docs/wallet.md, "Money rules and postings": pay a rent due).

estate's due → payments' intent for what is owed → paid from `account` (payments.pay_from_account,
one ledger transfer account → the agency's rent receivable, less Hokwe's fee); estate's own
handler on PaymentSucceeded applies the payment to the due and issues the quittance.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction

from apps.core.errors import IdempotencyConflict, NotFound
from apps.estate import api as estate
from apps.identity import api as identity
from apps.ledger import api as ledger
from apps.payments import api as payments
from apps.payments.contracts import IntentInfo, IntentStatus

from ..models import RentPayment, Wallet
from .wallets import record_outflow

__all__ = ["STEP_UP_ACTION", "count_wallet_payment", "open_dues", "own_due", "pay_rent_due", "step_up_needed"]

# identity's step-up of a rent paid from the wallet above WALLET_RENT_STEP_UP_ABOVE (an SMS code,
# or the app), bound to the due and the amount owed: the same rule on the page, REST and GraphQL
STEP_UP_ACTION = "wallet.rent.pay"


def step_up_needed(amount: int) -> bool:
    return amount > settings.WALLET_RENT_STEP_UP_ABOVE


def open_dues(user) -> list:
    """The user's open rent dues (every lease they are a tenant of), oldest first."""
    return estate.tenant_open_dues(user.public_id)


def pay_rent_due(
    *,
    actor,
    due: UUID,
    account: UUID,
    idempotency_key: str,
    out_of: Wallet | None = None,
    step_up_token: str | None = None,
) -> IntentInfo:
    """Pay what is still owed on `due` (one of `actor`'s leases) from ledger `account`.

    `out_of`: the wallet paid from, when `account` is a wallet (it must be the actor's): checked
    usable, kyc's daily outflow (wallet_payment) checked and counted. A pot or a vault is paid
    by its owning part's code (tontine, split), which has checked who may spend it.
    From a wallet above WALLET_RENT_STEP_UP_ABOVE, `step_up_token` is identity's proof of the step-up
    `STEP_UP_ACTION` for this due and the amount owed (else StepUpRequired, nothing paid).
    Idempotent on `idempotency_key` (a retried call returns the first payment). Raises
    NotFound (not the actor's due), estate's NothingDue, ledger's InsufficientFunds (nothing
    paid), WalletFrozen/WalletClosed, KycLimitExceeded."""
    key = (idempotency_key or "").strip()[:255]
    if not key:
        raise IdempotencyConflict(field="Idempotency-Key")
    done = RentPayment.objects.filter(idempotency_key=key).first()
    if done is not None:
        if done.actor_id != actor.pk or done.due != UUID(str(due)):
            raise IdempotencyConflict(field="Idempotency-Key")
        return payments.get_intent(done.intent)
    if out_of is not None and (out_of.user_id != actor.pk or out_of.account != UUID(str(account))):
        raise NotFound(field="account")
    intent = estate.due_payment_intent(UUID(str(due)), payer=actor.public_id)
    try:
        with transaction.atomic():
            if out_of is not None:
                if step_up_needed(intent.amount):
                    # a wallet that cannot pay is said before a code is asked for
                    if ledger.balance(account=out_of.account).available < intent.amount:
                        raise ledger.InsufficientFunds(field="account")
                    identity.require_step_up(
                        actor=actor,
                        action=STEP_UP_ACTION,
                        target=str(due),
                        amount=intent.amount,
                        currency=intent.currency,
                        token=step_up_token,
                    )
                record_outflow(out_of, intent.amount, kyc_operation="wallet_payment")
            paid = payments.pay_from_account(actor=actor, intent=intent.public_id, account=account)
            if paid.status != IntentStatus.SUCCEEDED:
                # too low a balance: payments recorded a failed attempt; roll everything back
                raise ledger.InsufficientFunds(field="account")
            RentPayment.objects.create(
                actor_id=actor.pk,
                wallet=out_of,
                due=UUID(str(due)),
                account=UUID(str(account)),
                intent=paid.public_id,
                amount=paid.amount,
                currency=paid.currency,
                idempotency_key=key,
            )
    except IntegrityError:
        done = RentPayment.objects.filter(idempotency_key=key).first()
        if done is None:
            raise
        return payments.get_intent(done.intent)
    return paid


def own_due(user, due: UUID):
    """One of the user's open dues, else NotFound (another tenant's due is never shown)."""
    for info in estate.tenant_open_dues(user.public_id):
        if str(info.public_id) == str(due):
            return info
    raise NotFound(field="due_id")


def count_wallet_payment(*, intent_id: str, payer_public_id: str | None, amount: int, currency: str) -> bool:
    """payments' PaymentSucceeded paid from the payer's wallet (method `wallet`) by payments'
    own `pay_with_wallet` (the pay page): count it once in the payer's outflow today. A payment
    made by `pay_rent_due` was counted as it was paid (its RentPayment row): skipped. Returns
    True when it was counted now. Idempotent (one CountedPayment per intent)."""
    from django.utils import timezone

    from ..models import CountedPayment
    from .wallets import _locked, _today, count_outflow

    if not payer_public_id or RentPayment.objects.filter(intent=intent_id).exists():
        return False
    wallet = Wallet.objects.filter(user__public_id=payer_public_id, currency=currency).first()
    if wallet is None:
        return False
    with transaction.atomic():
        row = _locked([wallet])[wallet.pk]
        if CountedPayment.objects.filter(intent=intent_id).exists():
            return False
        CountedPayment.objects.create(intent=intent_id, wallet=wallet, amount=amount)
        count_outflow(row, amount, _today())
        now = timezone.now()
        Wallet.objects.filter(pk=wallet.pk).update(dormant_since=None, last_activity_at=now, updated_at=now)
    return True
