"""Top-up by mobile money (docs/wallet.md, "Money rules and postings": top-up).

A payments intent paid to Hokwe's e-money issuer organization, credited to the user's wallet
account. kyc's inflow limits (monthly inflow, maximum balance, single transaction) are checked
before the intent is created (here, then again by payments for any intent crediting a wallet);
the usage totals count the money once, when the intent succeeds (`topup_succeeded`, from the
PaymentSucceeded handler, idempotent).

Postings on success: provider clearing (debit) → user wallet (credit), less the top-up fee
(WALLET_TOPUP_FEE_*, zero by default) → fees revenue.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.errors import IdempotencyConflict
from apps.identity import api as identity
from apps.kyc import api as kyc
from apps.notifications import api as notifications
from apps.payments import api as payments
from apps.payments.contracts import FeeRule, IntentInfo, PurposeRef

from ..errors import InvalidAmount
from ..models import TopUp, Wallet
from .wallets import ensure_usable, record_inflow, usage_of_wallet, wallet_for

__all__ = ["PURPOSE_TOPUP", "issuer_organization", "topup_failed", "topup_start", "topup_succeeded"]

PURPOSE_TOPUP = "wallet.TopUp"
TOPUP_RECEIVED = "wallet.topup_received"


def issuer_organization():
    """Hokwe's e-money issuer organization (identity.platform_organization, created on first
    use): the payee of top-up intents and the operator of withdrawals."""
    return identity.platform_organization(
        name=settings.WALLET_ISSUER_NAME,
        country=settings.WALLET_ISSUER_COUNTRY,
        currencies=("XOF", "XAF"),
    )


def _fee_rule() -> FeeRule:
    return FeeRule(basis_points=settings.WALLET_TOPUP_FEE_BASIS_POINTS, fixed=settings.WALLET_TOPUP_FEE_FIXED)


def topup_start(
    *, actor, amount: int, currency: str = "XOF", idempotency_key: str
) -> tuple[TopUp, IntentInfo]:
    """Open a top-up of `amount` into the actor's wallet: the TopUp row and its payment intent
    (pay it at `intent.pay_url`, or with payments' start_payment: mobile money). Refused
    before anything is written when the wallet is frozen or closed, or when kyc's inflow
    limits would be passed. Idempotent on `idempotency_key` per wallet."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidAmount(field="amount")
    key = (idempotency_key or "").strip()[:200]
    if not key:
        raise IdempotencyConflict(field="Idempotency-Key")
    wallet = wallet_for(actor, currency)
    existing = TopUp.objects.filter(wallet=wallet, idempotency_key=key).first()
    if existing is not None:
        if existing.amount != amount:
            raise IdempotencyConflict(field="Idempotency-Key")
        return existing, payments.get_intent(existing.intent)
    ensure_usable(wallet)
    wallet.user = actor
    kyc.check(actor, "wallet_topup", amount, currency=currency, usage=usage_of_wallet(wallet))
    issuer = issuer_organization()
    try:
        with transaction.atomic():
            topup = TopUp.objects.create(wallet=wallet, amount=amount, currency=currency, idempotency_key=key)
            intent = payments.create_intent(
                organization=issuer.public_id,
                amount=amount,
                currency=currency,
                purpose=PurposeRef(PURPOSE_TOPUP, str(topup.public_id)),
                description="Rechargement du portefeuille Hokwe",
                credit_account=wallet.account,
                payer=actor.public_id,
                fee_rule=_fee_rule(),
                metadata={"wallet": str(wallet.public_id), "topup": str(topup.public_id)},
                idempotency_key=f"wallet:topup:{topup.public_id}",
            )
            topup.intent = intent.public_id
            topup.save(update_fields=["intent", "updated_at"])
    except IntegrityError:
        existing = TopUp.objects.get(wallet=wallet, idempotency_key=key)
        return existing, payments.get_intent(existing.intent)
    return topup, intent


def topup_succeeded(*, topup_id: str, amount: int, fee: int, intent_id: str) -> TopUp | None:
    """The top-up's intent was paid (payments already credited the wallet): count the inflow
    once, wake the wallet, tell the user. Idempotent (a replayed event changes nothing)."""
    with transaction.atomic():
        topup = TopUp.objects.select_for_update().select_related("wallet").filter(public_id=topup_id).first()
        if topup is None or topup.status == TopUp.Status.SUCCEEDED or str(topup.intent) != str(intent_id):
            return topup
        topup.status = TopUp.Status.SUCCEEDED
        topup.credited_at = timezone.now()
        topup.save(update_fields=["status", "credited_at", "updated_at"])
        credited = amount - fee
        if credited > 0:
            record_inflow(topup.wallet, credited)
        user = identity.get_user(id=topup.wallet.user_id)
        transaction.on_commit(
            lambda: notifications.send(
                user.public_id,
                TOPUP_RECEIVED,
                {"amount": {"amount": credited, "currency": topup.currency}},
                idempotency_key=f"wallet:topup:{topup.public_id}:received",
            )
        )
    return topup


def topup_failed(*, topup_id: str) -> None:
    """The intent's last attempt failed: the top-up shows failed (a later success still
    counts: `topup_succeeded` accepts a failed top-up)."""
    TopUp.objects.filter(public_id=topup_id, status=TopUp.Status.PENDING).update(
        status=TopUp.Status.FAILED, updated_at=timezone.now()
    )


def topups_of(wallet: Wallet):
    return TopUp.objects.filter(wallet=wallet).order_by("-created_at", "-id")


def wallet_uuid(value) -> UUID:
    return UUID(str(value))
