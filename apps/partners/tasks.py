"""Partners' Celery tasks: one delivery (queued after the handler's commit) and the beat's
run over what is due (retries; every delivery in eager profiles)."""

from celery import shared_task

from .services import deliver_due as _deliver_due
from .services import deliver_one


@shared_task(name="partners.deliver", acks_late=True)
def deliver(delivery_id: int) -> str:
    row = deliver_one(delivery_id)
    return row.status if row is not None else "skipped"


@shared_task(name="partners.deliver_due")
def deliver_due() -> int:
    return len(_deliver_due())
