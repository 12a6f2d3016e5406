"""Celery tasks: load ids, call a service; idempotent. Each part appends its own."""

# --- repayments ---
from celery import shared_task


@shared_task(name="lending.autodebit")
def autodebit() -> dict:
    """The daily auto-debit of what is due from the borrowers' wallets (beat, 07:00).
    Idempotent: one repayment per loan and day."""
    from dataclasses import asdict

    from .services.repayments import autodebit_due

    return asdict(autodebit_due())
