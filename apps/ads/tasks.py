"""Celery tasks: load ids, call a service; idempotent. Each part appends its own."""

from celery import shared_task

# --- advertising ---


@shared_task(name="ads.sync")
def sync() -> dict:
    """Counters of the delivery store into PostgreSQL, charges to the ledger, spent and past
    campaigns stopped (every minute)."""
    from .services.charging import sync as run

    return run()
