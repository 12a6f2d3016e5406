"""Celery tasks: load ids, call a service; idempotent (safe to run twice)."""

from __future__ import annotations

from celery import shared_task

from .providers.base import ProviderUnavailable


@shared_task(
    name="payments.process_webhook",
    autoretry_for=(ProviderUnavailable,),
    retry_backoff=5,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=12,
)
def process_webhook(event_pk: int) -> str:
    """Confirm a stored webhook with the provider's API and apply it. A provider that times
    out or answers 5xx leaves the intent pending; the task retries with backoff."""
    from .services import webhook_process

    return webhook_process(event_pk)


@shared_task(name="payments.expire_intents")
def expire_intents() -> int:
    from .services import intents_expire

    return intents_expire()


@shared_task(name="payments.settle_stale_pending")
def settle_stale_pending() -> int:
    from .services import settle_stale_pending as settle

    return settle()


@shared_task(
    name="payments.reconcile_daily", autoretry_for=(ProviderUnavailable,), retry_backoff=60, max_retries=6
)
def reconcile_daily(day: str | None = None) -> list[str]:
    from datetime import date

    from .services import reconcile_all

    reports = reconcile_all(day=date.fromisoformat(day) if day else None)
    return [str(r.public_id) for r in reports]


@shared_task(
    name="payments.send_payout",
    autoretry_for=(ProviderUnavailable,),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=10,
)
def send_payout(payout_pk: int) -> str:
    from .services import payout_send

    return str(payout_send(payout_pk=payout_pk))


@shared_task(name="payments.check_payout_account")
def check_payout_account(account_pk: int) -> str:
    """A landlord's payout number added inside a caller's transaction: its holder's name is
    asked of the operator after the commit (verified on a match, else left for staff)."""
    from .services import payout_account_check_name

    account = payout_account_check_name(account_pk=account_pk)
    return "verified" if account.verified_at else "review"


@shared_task(name="payments.send_refund")
def send_refund(refund_pk: int) -> str:
    """Ask the provider for a refund recorded inside a caller's transaction, after it
    committed. A provider that does not answer leaves it `requested` for the sweeper."""
    from .services import refund_send

    return str(refund_send(refund_pk=refund_pk).status)


@shared_task(name="payments.confirm_payment")
def confirm_payment(attempt_pk: int, reference: str) -> str:
    """Verify with the provider a transaction the payer's app reported inside a caller's
    transaction (see services.callback_confirm), after it committed."""
    from .models import PaymentAttempt
    from .services import attempt_verify

    attempt = PaymentAttempt.objects.select_related("intent").filter(pk=attempt_pk).first()
    if attempt is None:
        return "unchanged"
    try:
        return attempt_verify(attempt=attempt, reference=reference)
    except ProviderUnavailable:
        return "unchanged"  # the webhook or reconciliation settles it


@shared_task(name="payments.recover_provider_calls")
def recover_provider_calls() -> dict:
    """Beat: provider calls cut short by a timeout or a crash (attempts `starting`, refunds
    `requested`, payouts `sending`) are asked again under the same reference and resolved."""
    from .services import provider_calls_recover

    return provider_calls_recover()


@shared_task(name="payments.poll_payouts")
def poll_payouts() -> int:
    from .contracts import PayoutStatus
    from .models import Payout
    from .services import payout_sync

    changed = 0
    for payout in Payout.objects.filter(status=PayoutStatus.PROCESSING).order_by("created_at")[:500]:
        changed += payout_sync(payout=payout) != PayoutStatus.PROCESSING
    return changed


@shared_task(name="payments.scheduled_payouts")
def scheduled_payouts() -> int:
    from .services import scheduled_payouts_run

    return scheduled_payouts_run()


@shared_task(
    name="payments.import_settlements", autoretry_for=(ProviderUnavailable,), retry_backoff=300, max_retries=6
)
def import_settlements() -> int:
    """Beat (daily): FedaPay's transferred transactions of the last days, each settlement
    recorded once (services/settlements.py)."""
    from .services import fedapay_import_daily

    result = fedapay_import_daily()
    return len(result.settlements) if result is not None else 0


@shared_task(name="payments.suspense_payouts")
def suspense_payouts() -> int:
    """Beat: suspense refunds paid by a payout to the payer — sent, asked about, settled."""
    from .services.suspense import suspense_payouts_poll

    return suspense_payouts_poll()
