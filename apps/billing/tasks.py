"""Celery tasks: load ids, call a service; idempotent."""

# --- metering and the billing run ---
from celery import shared_task


@shared_task(name="billing.run")
def run() -> dict:
    """Daily (beat): invoice, finalize, collect and roll every subscription whose period
    ended (idempotent: a second run the same day makes nothing)."""
    from django.conf import settings

    from .services.run import billing_run

    return billing_run(chunk_size=settings.BILLING_RUN_CHUNK)


# --- dunning ---
from celery import shared_task as _dunning_task  # noqa: E402


@_dunning_task(name="billing.dunning_run")
def dunning_run() -> dict:
    """The daily dunning run (beat, 08:15): ladders of invoices newly overdue, the steps due
    today (retries, reminders, restrictions), restorations, trial-ending notices. Idempotent
    for the day."""
    from .services.dunning import dunning_run as run

    return run()
