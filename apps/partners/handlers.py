"""Payments' and estate's events become webhook deliveries (rows only: sending is a task,
so a slow endpoint never touches the payment path). Run by the outbox after commit."""

from apps.core.events import on
from apps.estate.events import RentDuePaid
from apps.identity import api as identity
from apps.payments.events import PaymentFailed, PaymentRefunded, PaymentRefundFailed, PaymentSucceeded

from .contracts import EventType
from .services import deliveries_create


def _org_id(public_id: str) -> int | None:
    return identity.organization_ids([public_id]).get(_uuid(public_id))


def _uuid(value):
    import uuid

    return uuid.UUID(str(value))


@on(PaymentSucceeded)
def payment_succeeded(event, *, event_id):
    org = _org_id(event.organization_id)
    if org is None:
        return
    deliveries_create(
        organization_id=org,
        event_type=EventType.PAYMENT_SUCCEEDED,
        source_event_id=event_id,
        data={
            "intent_id": event.intent_id,
            "organization_id": event.organization_id,
            "amount": event.amount,
            "currency": event.currency,
            "fee_amount": event.fee_amount,
            "purpose_type": event.purpose_type,
            "purpose_id": event.purpose_id,
            "provider": event.provider,
            "method": event.method,
            "receipt_number": event.receipt_number,
            "succeeded_at": event.succeeded_at,
            "metadata": event.metadata,
        },
    )


@on(PaymentFailed)
def payment_failed(event, *, event_id):
    org = _org_id(event.organization_id)
    if org is None:
        return
    deliveries_create(
        organization_id=org,
        event_type=EventType.PAYMENT_FAILED,
        source_event_id=event_id,
        data={
            "intent_id": event.intent_id,
            "attempt_id": event.attempt_id,
            "organization_id": event.organization_id,
            "purpose_type": event.purpose_type,
            "purpose_id": event.purpose_id,
            "provider": event.provider,
            "reason": event.reason,
        },
    )


@on(PaymentRefunded)
def refund_succeeded(event, *, event_id):
    org = _org_id(event.organization_id)
    if org is None:
        return
    deliveries_create(
        organization_id=org,
        event_type=EventType.REFUND_SUCCEEDED,
        source_event_id=event_id,
        data={
            "intent_id": event.intent_id,
            "refund_id": event.refund_id,
            "organization_id": event.organization_id,
            "amount": event.amount,
            "currency": event.currency,
            "amount_refunded": event.amount_refunded,
            "fully_refunded": event.fully_refunded,
            "purpose_type": event.purpose_type,
            "purpose_id": event.purpose_id,
        },
    )


@on(PaymentRefundFailed)
def refund_failed(event, *, event_id):
    org = _org_id(event.organization_id)
    if org is None:
        return
    deliveries_create(
        organization_id=org,
        event_type=EventType.REFUND_FAILED,
        source_event_id=event_id,
        data={
            "intent_id": event.intent_id,
            "refund_id": event.refund_id,
            "organization_id": event.organization_id,
            "amount": event.amount,
            "currency": event.currency,
            "via": event.via,
            "reason": event.reason,
            "purpose_type": event.purpose_type,
            "purpose_id": event.purpose_id,
        },
    )


@on(RentDuePaid)
def due_paid(event, *, event_id):
    org = _org_id(event.organization_id)
    if org is None:
        return
    deliveries_create(
        organization_id=org,
        event_type=EventType.DUE_PAID,
        source_event_id=event_id,
        data={
            "due_id": event.due_id,
            "lease_id": event.lease_id,
            "organization_id": event.organization_id,
            "amount": event.amount,
            "currency": event.currency,
            "period": event.period,
            "receipt_code": event.receipt_code,
        },
    )
