"""Reactions to events: payments for our dues and deposits (payments' PaymentSucceeded and
PaymentRefunded), and the notices (avis d'échéance) of the dues the month-end run issued, sent
and filed in the vaults. Thin: each calls a service; the outbox runs each once per event."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from apps.core.events import on
from apps.identity import api as identity
from apps.notifications import api as notifications
from apps.notifications.contracts import SendRequest
from apps.payments.events import PaymentRefunded, PaymentSucceeded

from . import services
from .events import RentDuesIssued
from .messages import RENT_NOTICE
from .models import LeaseTenant, RentDue
from .services.collections import PURPOSES


@on(PaymentSucceeded)
def apply_payment(event: PaymentSucceeded, *, event_id: str) -> None:
    if event.purpose_type not in PURPOSES:
        return
    services.payment_from_intent(
        intent_id=event.intent_id,
        amount=event.amount,
        fee=event.fee_amount,
        currency=event.currency,
        purpose_type=event.purpose_type,
        purpose_id=event.purpose_id,
        method=event.method,
        metadata=event.metadata,
        receipt_number=event.receipt_number,
    )


@on(PaymentRefunded)
def take_back_refund(event: PaymentRefunded, *, event_id: str) -> None:
    if event.purpose_type not in PURPOSES:
        return
    services.payment_refunded(intent_id=event.intent_id, amount=event.amount, refund_id=event.refund_id)


def public_url(path: str) -> str:
    base = settings.ESTATE_PUBLIC_BASE_URL or settings.PAYMENT_PUBLIC_BASE_URL or "https://hokwe.com"
    return f"{base.rstrip('/')}{path}"


@on(RentDuesIssued)
def file_notices(event: RentDuesIssued, *, event_id: str) -> None:
    """The avis d'échéance of the issued dues, filed in the organization's and the tenants'
    vaults (HokweDoc), in bulk; filing twice is a no-op."""
    if not event.due_ids:
        return
    from .vault import file_notices as file_in_vaults

    for start in range(0, len(event.due_ids), 2000):
        file_in_vaults(
            RentDue.objects.filter(public_id__in=event.due_ids[start : start + 2000]).select_related(
                "lease__unit__property"
            )
        )


@on(RentDuesIssued)
def send_notices(event: RentDuesIssued, *, event_id: str) -> None:
    """One avis d'échéance per tenant and due, in bulk (notifications.send_many)."""
    if not settings.ESTATE_SEND_NOTICES or not event.due_ids:
        return
    dues = {
        d.pk: d
        for d in RentDue.objects.filter(public_id__in=event.due_ids).select_related("lease__unit__property")
    }
    tenants = LeaseTenant.objects.filter(lease_id__in={d.lease_id for d in dues.values()}).select_related(
        "user"
    )
    by_lease: dict[int, list] = {}
    for row in tenants:
        by_lease.setdefault(row.lease_id, []).append(row.user)
    orgs = {  # the sending agency, for its SMS usage (one or a few per event)
        oid: str(identity.get_organization(id=oid).public_id)
        for oid in {d.lease.unit.property.organization_id for d in dues.values()}
    }
    requests = []
    for due in dues.values():
        for user in by_lease.get(due.lease_id, []):
            requests.append(
                SendRequest(
                    recipient=str(user.public_id),
                    template_key=RENT_NOTICE,
                    context={
                        "tenant_name": user.full_name or "-",
                        "amount": {"amount": due.total, "currency": due.currency},
                        "period": services.period_label(due.period, user.preferred_language),
                        "due_date": due.due_date.isoformat(),
                        "property_name": f"{due.lease.unit.property.name}, {due.lease.unit.label}",
                        "reference": due.reference,
                        "pay_url": public_url(reverse("estate:pay-due", args=[due.pay_token])),
                    },
                    idempotency_key=f"estate:notice:{due.public_id}",
                    organization=orgs.get(due.lease.unit.property.organization_id),
                )
            )
    if requests:
        notifications.send_many(requests)
