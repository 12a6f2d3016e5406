"""Celery tasks: one per priority queue (routes in settings.CELERY_TASK_ROUTES), each taking
a batch of message ids. Delivery is idempotent: a message is claimed before it is sent."""

from celery import shared_task

from . import services


@shared_task(name="notifications.deliver_otp", acks_late=True)
def deliver_otp(message_ids: list[int]) -> dict:
    return services.messages_deliver(message_ids=message_ids)


@shared_task(name="notifications.deliver", acks_late=True)
def deliver(message_ids: list[int]) -> dict:
    return services.messages_deliver(message_ids=message_ids)


@shared_task(name="notifications.deliver_bulk", acks_late=True)
def deliver_bulk(message_ids: list[int]) -> dict:
    return services.messages_deliver(message_ids=message_ids)


@shared_task(name="notifications.release_due")
def release_due() -> int:
    """Every few seconds (beat): quiet-hours deferrals that ended, retries, lost enqueues."""
    return services.messages_release_due()
