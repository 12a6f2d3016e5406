from celery import shared_task
from django.conf import settings

from . import outbox

dispatch_event = outbox.dispatch_event  # registered as "core.dispatch_event"


@shared_task(name="core.outbox_sweep")
def outbox_sweep() -> int:
    """Re-enqueue events whose after-commit enqueue was lost (broker down, crash)."""
    ids = outbox.pending_ids(older_than_seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS)
    for outbox_id in ids:
        outbox.enqueue(outbox_id)
    return len(ids)


@shared_task(name="core.purge_idempotency_records")
def purge_idempotency_records() -> int:
    """Idempotency keys are honoured for 7 days (like Stripe's 24 h, longer for bad networks)."""
    from .idempotency import purge_expired

    return purge_expired()
