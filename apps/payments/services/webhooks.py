"""Webhooks: verify, store once, ack; then (in a Celery task) confirm with the provider's
API and apply. The raw body is kept for support and audits."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import config, metrics
from ..models import PaymentAttempt, Payout, ReconciliationItem, WebhookEvent
from ..providers.base import TxStatus, WebhookRejected
from . import intents, payouts

logger = logging.getLogger("hokwe.payments")


def webhook_receive(
    *, provider: str, headers, body: bytes, config_id=None
) -> tuple[WebhookEvent | None, bool]:
    """Verify and store. Returns (event, created); raises WebhookRejected (→ 401) when the
    signature or secret is wrong. Nothing else happens here: the reply must be fast."""
    adapter = config.provider_for(provider, config_id=config_id)
    adapter.verify_webhook(headers=headers, body=body)
    message = adapter.parse_webhook(body)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WebhookRejected("body is not UTF-8") from exc
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.create(
                provider=provider,
                config=config_id,
                event_id=message.event_id,
                event_type=message.event_type,
                reference=message.reference,
                body=text,
            )
            transaction.on_commit(lambda: _enqueue(event.pk))
    except IntegrityError:
        metrics.WEBHOOKS.labels(provider=provider, outcome="duplicate").inc()
        return None, False
    metrics.WEBHOOKS.labels(provider=provider, outcome="stored").inc()
    return event, True


def _enqueue(event_pk: int) -> None:
    from celery import current_app  # the task lives in tasks.py, above services

    try:
        current_app.tasks["payments.process_webhook"].delay(event_pk)
    except Exception:  # broker down: reconciliation settles the attempt later
        logger.warning("payments_webhook_enqueue_failed", extra={"event": event_pk}, exc_info=True)


def webhook_process(event_pk: int) -> str:
    """Confirm with the provider and apply. Raises ProviderUnavailable to be retried."""
    event = WebhookEvent.objects.filter(pk=event_pk).first()
    if event is None or event.status in (WebhookEvent.Status.PROCESSED, WebhookEvent.Status.IGNORED):
        return "done"
    adapter = config.provider_for(event.provider, config_id=event.config)
    message = adapter.parse_webhook(event.body.encode())
    WebhookEvent.objects.filter(pk=event.pk).update(attempts=event.attempts + 1)
    try:
        if message.kind == "payout":
            outcome = _process_payout(event, message)
        else:
            outcome = _process_transaction(event, adapter, message)
    except Exception as exc:
        WebhookEvent.objects.filter(pk=event.pk).update(last_error=repr(exc)[:2000])
        raise
    status = WebhookEvent.Status.IGNORED if outcome == "ignored" else WebhookEvent.Status.PROCESSED
    WebhookEvent.objects.filter(pk=event.pk).update(status=status, processed_at=timezone.now(), last_error="")
    return outcome


def _process_transaction(event: WebhookEvent, adapter, message) -> str:
    info = adapter.verify(message.reference)  # never the payload's word alone
    attempt = (
        PaymentAttempt.objects.select_related("intent")
        .filter(provider=event.provider, provider_reference=info.reference or message.reference)
        .first()
    )
    if attempt is None and message.partner_reference:
        attempt = (
            PaymentAttempt.objects.select_related("intent")
            .filter(provider=event.provider, token=message.partner_reference, provider_reference="")
            .first()
        )
    if attempt is None and info.partner_reference:
        attempt = (
            PaymentAttempt.objects.select_related("intent")
            .filter(provider=event.provider, token=info.partner_reference, provider_reference="")
            .first()
        )
    if attempt is None and info.status == TxStatus.SUCCEEDED:
        # A second transaction for an attempt already bound to another one (the payer paid
        # twice through the same widget): ours, but not to credit twice.
        token = message.partner_reference or info.partner_reference
        twice = (
            PaymentAttempt.objects.select_related("intent")
            .filter(provider=event.provider, token=token)
            .first()
        )
        if token and twice is not None:
            intents.to_suspense(
                provider=event.provider,
                reference=info.reference or message.reference,
                amount=info.amount or 0,
                currency=info.currency or twice.intent.currency,
                kind=ReconciliationItem.Kind.LATE,
                detail="a second transaction for the same attempt",
                intent=twice.intent,
                attempt=twice,
                refund_due=True,
            )
            return "suspense"
    if attempt is None:
        if info.status == TxStatus.SUCCEEDED:
            intents.to_suspense(
                provider=event.provider,
                reference=info.reference or message.reference,
                amount=info.amount or 0,
                currency=info.currency or "XOF",
                kind=ReconciliationItem.Kind.UNKNOWN,
                detail="webhook for a transaction no intent started",
                refund_due=True,
            )
            return "suspense"
        return "ignored"
    return intents.attempt_apply(attempt_id=attempt.pk, info=info)


def _process_payout(event: WebhookEvent, message) -> str:
    payout = Payout.objects.filter(provider=event.provider, provider_reference=message.reference).first()
    if payout is None:
        return "ignored"
    return payouts.payout_sync(payout=payout)
