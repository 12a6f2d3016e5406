"""The wallet's beat tasks (CELERY_BEAT_SCHEDULE in conf.py). Each part appends its own."""

from celery import shared_task

# --- safeguarding ---


@shared_task(name="wallet.safeguarding_daily")
def safeguarding_daily() -> int:
    """Today's safeguarding reports (idempotent per day); returns how many are not balanced."""
    from .services import safeguarding

    return sum(1 for r in safeguarding.run_daily() if r.status != "balanced")


# --- HokweSplit ---


@shared_task(name="wallet.split_daily")
def split_daily() -> dict:
    """HokweSplit's daily run (beat, 06:15): auto-debits, MoMo requests, shortfall alerts, due
    dates. Idempotent: a retried or duplicated run moves money once."""
    from django.utils import timezone

    from .services.split_schedule import run_due_debits

    return run_due_debits(timezone.localdate()).as_dict()


# --- Cotis'Hokwe ---


@shared_task(name="wallet.tontine_daily")
def tontine_daily() -> dict:
    """Cotis'Hokwe's daily run (beat, 06:30): auto-debits of due rounds (retried daily until
    the round closes), lateness and penalties, round close, guarantees and pot payouts.
    Idempotent: a retried, duplicated or interrupted run moves money once."""
    from django.utils import timezone

    from .services.tontine_rounds import close_due_rounds

    return close_due_rounds(timezone.localdate()).as_dict()


# --- P2P transfers ---


@shared_task(name="wallet.p2p_settle_held")
def p2p_settle_held() -> dict:
    """Hourly (beat): held P2P transfers whose number has an account by now are claimed, those
    past WALLET_P2P_CLAIM_DAYS go back to their sender. Idempotent (one ledger key per move)."""
    from .services.p2p import p2p_settle_held as settle

    return settle()


# --- wallet core ---


@shared_task(name="wallet.dormancy_daily")
def dormancy_daily() -> int:
    """Mark wallets with no user activity for WALLET_DORMANT_AFTER_DAYS dormant (beat, 03:40);
    returns how many became dormant. Idempotent."""
    from .services.compliance import mark_dormant

    return mark_dormant()
