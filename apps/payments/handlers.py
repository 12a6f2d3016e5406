"""Reactions to payments' own events: the payer's receipt and the payout confirmation go
out through notifications (below us), each once per event (the outbox records handlers)."""

from __future__ import annotations

from django.conf import settings

from apps.core.events import on
from apps.identity import api as identity
from apps.notifications import api as notifications

from .events import PaymentSucceeded, PayoutCompleted
from .messages import PAYMENT_RECEIPT, PAYOUT_CONFIRMATION
from .models import PaymentIntent, Payout


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
            "destination": payout.payout_account.masked,
            "reference": str(payout.public_id)[:8].upper(),
        },
        idempotency_key=f"payments:payout:{event_id}",
    )
