"""Reactions to payments' own events: the payer's receipt and the payout confirmation go
out through notifications (below us), each once per event (the outbox records handlers)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from apps.core.errors import NotFound
from apps.core.events import on
from apps.identity import api as identity
from apps.kyc import api as kyc
from apps.kyc.events import KycTierChanged
from apps.notifications import api as notifications

from .events import PaymentRefunded, PaymentSucceeded, PayoutCompleted
from .messages import PAYMENT_RECEIPT, PAYOUT_CONFIRMATION
from .models import PaymentIntent, Payout, PayoutAccount, Refund


def _absolute(path: str) -> str:
    """SMS need absolute links: PAYMENT_PUBLIC_BASE_URL, else the notifications' base URL."""
    if path.startswith("http"):
        return path
    base = settings.PAYMENT_PUBLIC_BASE_URL or settings.NOTIFICATIONS_PUBLIC_BASE_URL or "https://hokwe.com"
    return base.rstrip("/") + path


@on(PaymentSucceeded)
def send_receipt(event: PaymentSucceeded, *, event_id: str) -> None:
    from .api import receipt_url

    intent = PaymentIntent.objects.filter(public_id=event.intent_id).first()
    if intent is None:
        return
    recipient = event.payer_id or intent.payer_phone
    if not recipient:
        return
    notifications.send(
        recipient,
        PAYMENT_RECEIPT,
        {
            "payer_name": intent.payer_name or "-",
            "amount": {"amount": intent.amount, "currency": intent.currency},
            "purpose": intent.description,
            "reference": intent.receipt_number,
            "paid_at": intent.succeeded_at.isoformat(),
            "receipt_url": _absolute(receipt_url(intent)),
        },
        idempotency_key=f"payments:receipt:{event_id}",
        organization=event.organization_id or None,  # the payee (a rent receipt: the agency's SMS)
    )


@on(PayoutCompleted)
def send_payout_confirmation(event: PayoutCompleted, *, event_id: str) -> None:
    if event.status != "paid":
        return
    payout = Payout.objects.select_related("payout_account").filter(public_id=event.payout_id).first()
    if payout is None or payout.requested_by_id is None:
        return
    organization = identity.get_organization(event.organization_id)
    notifications.send(
        identity.get_user(id=payout.requested_by_id).public_id,
        PAYOUT_CONFIRMATION,
        {
            "beneficiary_name": organization.name,
            "amount": {"amount": payout.amount, "currency": payout.currency},
            "destination": payout.destination,
            "reference": str(payout.public_id)[:8].upper(),
        },
        idempotency_key=f"payments:payout:{event_id}",
    )


# --- transaction monitoring (kyc, AML): each money movement is handed over after commit --------


def _payer_phone(intent: PaymentIntent | None, payer_public_id: str | None) -> str:
    if intent is not None and intent.payer_phone:
        return intent.payer_phone
    if payer_public_id:
        return identity.get_user(payer_public_id).phone or ""
    return ""


@on(PaymentSucceeded)
def observe_payment_for_monitoring(event: PaymentSucceeded, *, event_id: str) -> None:
    """A collection: payer, amount, the account credited. Recorded once per intent (kyc
    ignores a source key it has seen), outside the payment's own transaction."""
    intent = PaymentIntent.objects.filter(public_id=event.intent_id).first()
    attempt = intent.attempts.filter(status="succeeded").first() if intent is not None else None
    kyc.observe_transaction(
        kyc.ObservedTransaction(
            source_key=f"payments.intent:{event.intent_id}",
            kind=kyc.ObservedKind.COLLECT,
            amount=event.amount,
            currency=event.currency,
            occurred_at=datetime.fromisoformat(event.succeeded_at),
            organization_public_id=event.organization_id,
            account=event.credit_account,
            payer_phone=_payer_phone(intent, event.payer_id),
            payer_public_id=event.payer_id,
            provider=event.provider,
            provider_reference=attempt.provider_reference if attempt is not None else "",
        )
    )


@on(PaymentRefunded)
def observe_refund_for_monitoring(event: PaymentRefunded, *, event_id: str) -> None:
    intent = PaymentIntent.objects.filter(public_id=event.intent_id).first()
    refund = Refund.objects.filter(public_id=event.refund_id).first()
    payer_id = None
    if intent is not None and intent.payer_id:
        payer_id = str(identity.get_user(id=intent.payer_id).public_id)
    kyc.observe_transaction(
        kyc.ObservedTransaction(
            source_key=f"payments.refund:{event.refund_id}",
            kind=kyc.ObservedKind.REFUND,
            amount=event.amount,
            currency=event.currency,
            occurred_at=(refund.completed_at if refund is not None else None) or timezone.now(),
            organization_public_id=event.organization_id,
            account=str(intent.credit_account) if intent is not None else "",
            payer_phone=_payer_phone(intent, payer_id),
            payer_public_id=payer_id,
            provider=intent.provider if intent is not None else "",
            provider_reference=refund.provider_reference if refund is not None else "",
        )
    )


@on(PayoutCompleted)
def observe_payout_for_monitoring(event: PayoutCompleted, *, event_id: str) -> None:
    """A paid payout to the organization's payout account (a refund sent as a payout is
    observed as the refund, through PaymentRefunded)."""
    if event.status != "paid":
        return
    payout = Payout.objects.select_related("payout_account").filter(public_id=event.payout_id).first()
    if payout is None or getattr(payout, "purpose", "payout") != "payout":
        return
    kyc.observe_transaction(
        kyc.ObservedTransaction(
            source_key=f"payments.payout:{event.payout_id}",
            kind=kyc.ObservedKind.PAYOUT,
            amount=event.amount,
            currency=event.currency,
            occurred_at=payout.paid_at or timezone.now(),
            organization_public_id=event.organization_id,
            account=str(payout.payout_account.public_id) if payout.payout_account_id else "",
            provider=payout.provider,
            provider_reference=payout.provider_reference,
        )
    )


@on(KycTierChanged)
def recheck_landlord_payout_accounts(event: KycTierChanged, *, event_id: str) -> None:
    """A landlord's identity was just verified: the MoMo numbers they added while it was not
    (left for staff, « identity not verified yet ») are checked again against the operator's
    holder name — after this commit, by the `payments.check_payout_account` task (a provider
    call never runs inside the outbox's transaction)."""
    if event.new_tier < 1 or event.reason != "approved":
        return
    from .services.payouts import name_check_after_commit

    try:
        user = identity.get_user(event.user_public_id)
    except NotFound:  # unknown: nothing to check
        return
    for account in PayoutAccount.objects.filter(
        created_by_id=user.id, verified_at=None, kind=PayoutAccount.Kind.MOBILE_MONEY, is_active=True
    ):
        if identity.role_in(user_id=user.id, organization_id=account.organization_id) != "owner":
            continue
        name_check_after_commit(account.pk)
