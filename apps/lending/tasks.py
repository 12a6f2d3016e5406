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


# --- delinquency: the nightly run ---
from celery import shared_task as _delinquency_task  # noqa: E402


@_delinquency_task(name="lending.delinquency_nightly")
def delinquency_nightly() -> dict:
    """Billing, aging, late fees, late events and reminders, handover, provisions
    (services/delinquency.py); idempotent for the day."""
    from .services.delinquency import nightly_run

    result = nightly_run()
    return {
        "aged": result.aged,
        "late_events": result.late_events,
        "late_fees": result.late_fees,
        "reminders": result.reminders,
        "handed_over": result.handed_over,
        "snapshots": result.snapshots,
    }


# --- landlord advances: what is due repaid from the owners' balance as soon as rents come in ---
from celery import shared_task as _advance_task  # noqa: E402


@_advance_task(name="lending.advance_rents")
def advance_rents() -> dict:
    from .services.advance import rents_deduction_daily

    return rents_deduction_daily()


# --- the lifecycle: offers not accepted in time expire; interrupted disbursements resume ---
from celery import shared_task as _lifecycle_task  # noqa: E402


@_lifecycle_task(name="lending.expire_offers")
def expire_offers() -> int:
    """Offers past LENDING_OFFER_DAYS become expired (one UPDATE); returns how many."""
    from .services.applications import expire_offers as expire

    return expire()


@_lifecycle_task(name="lending.disburse_pending")
def disburse_pending() -> dict:
    """Accepted loans not yet paid out (a timeout, a crash, guarantors that answered since)
    are disbursed, once each (services/disbursement.py)."""
    from .services.disbursement import disburse_pending as sweep

    return sweep()


# --- emergency fund: withdrawals whose notice has run, automatic savings ---
from celery import shared_task as _fund_task  # noqa: E402


@_fund_task(name="lending.fund_daily")
def fund_daily() -> dict:
    """The emergency fund's daily run (beat, 07:20, after the loans' auto-debit at 07:00: a
    loan is repaid from the wallet before the wallet saves): pay the withdrawals whose notice
    has run, then take the automatic savings due. Idempotent (keys per notice, per fund and
    date)."""
    from django.utils import timezone

    from .services.fund import automatic_run, notices_run

    today = timezone.localdate()
    return {"notices": notices_run(today), "automatic": automatic_run(today)}
