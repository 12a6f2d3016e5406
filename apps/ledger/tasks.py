"""Beat tasks: the hold expiry sweep and the books' verification (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import services, verify


@shared_task(name="ledger.expire_holds")
def expire_holds() -> int:
    """Void the holds whose timeout has passed; loops until none is left."""
    total = 0
    while count := services.holds_expire(limit=500):
        total += count
    return total


@shared_task(name="ledger.verify")
def ledger_verify() -> bool:
    return verify.run().ok
