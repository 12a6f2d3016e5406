"""Payments' and estate's events become webhook deliveries (rows only: sending is a task,
so a slow endpoint never touches the payment path). Run by the outbox after commit.
Each webhook's `data` is the event's public fields (docs/partners.md lists them): never the
ledger's internal ids."""

import uuid

from apps.core.events import on
from apps.estate.events import RentDuePaid
from apps.identity import api as identity
from apps.payments.events import PaymentFailed, PaymentRefunded, PaymentRefundFailed, PaymentSucceeded

from .contracts import EventType
from .services import deliveries_create

PAYMENT = ("intent_id", "organization_id", "purpose_type", "purpose_id")
REFUND = (*PAYMENT, "refund_id", "amount", "currency")


def _deliver(event, event_type: EventType, fields: tuple[str, ...], event_id: str) -> None:
    org = identity.organization_ids([event.organization_id]).get(uuid.UUID(str(event.organization_id)))
    if org is None:
        return
    deliveries_create(
        organization_id=org,
        event_type=event_type,
        source_event_id=event_id,
        data={name: getattr(event, name) for name in fields},
    )


@on(PaymentSucceeded)
def payment_succeeded(event, *, event_id):
    fields = (*PAYMENT, "amount", "currency", "fee_amount", "provider", "method", "receipt_number")
    _deliver(event, EventType.PAYMENT_SUCCEEDED, (*fields, "succeeded_at", "metadata"), event_id)


@on(PaymentFailed)
def payment_failed(event, *, event_id):
    _deliver(event, EventType.PAYMENT_FAILED, (*PAYMENT, "attempt_id", "provider", "reason"), event_id)


@on(PaymentRefunded)
def refund_succeeded(event, *, event_id):
    _deliver(event, EventType.REFUND_SUCCEEDED, (*REFUND, "amount_refunded", "fully_refunded"), event_id)


@on(PaymentRefundFailed)
def refund_failed(event, *, event_id):
    _deliver(event, EventType.REFUND_FAILED, (*REFUND, "via", "reason"), event_id)


@on(RentDuePaid)
def due_paid(event, *, event_id):
    fields = ("due_id", "lease_id", "organization_id", "amount", "currency", "period", "receipt_code")
    _deliver(event, EventType.DUE_PAID, fields, event_id)
