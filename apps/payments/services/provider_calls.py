"""The sweeper of provider calls cut short (a timeout, a crash, a lost task).

Every call that asks a provider to do something is made in three steps: record the intent
to call in a waiting state and commit; call the provider with no transaction open; apply
the answer in a new transaction, idempotently. A call that never got its answer applied
leaves its row in the waiting state. This sweeper (beat task
`payments.recover_provider_calls`) takes the rows waiting longer than
PAYMENT_STALE_PENDING_MINUTES and asks the provider again under the same reference, so
nothing is ever done twice:

- attempt `starting` (a checkout or a push): the provider's transactions are searched for
  our attempt token (providers that can list them), or the transaction is asked for under
  the reference derived from the token (providers with `attempt_reference(token)`: MTN
  MoMo); found, the transaction is bound and applied; not found, the checkout never reached
  the payer and the attempt fails (the intent can be paid again; a late payment is still
  applied by its webhook);
- refund `requested`: sent again with the same key (our refund's public id); providers
  refund once per key (Kkiapay reverts a transaction once);
- payout `requested`, never claimed (its task was lost) or `sending`: sent, after asking
  the provider for a payout under our reference (the payout's public id).

Idempotent: running it twice, or at the same time as a late answer, changes nothing more.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..contracts import PayoutStatus
from ..models import PaymentAttempt, Payout, Refund
from ..providers.base import Capability, NotSupported, ProviderUnavailable, TxStatus
from . import intents, payouts

logger = logging.getLogger("hokwe.payments")


def provider_calls_recover(*, older_than_minutes: int | None = None, limit: int = 200) -> dict[str, int]:
    """Resolve provider calls left waiting. Returns how many rows of each kind were settled
    (a provider that still does not answer leaves its rows waiting for the next run)."""
    minutes = settings.PAYMENT_STALE_PENDING_MINUTES if older_than_minutes is None else older_than_minutes
    cutoff = timezone.now() - timedelta(minutes=minutes)
    return {
        "attempts": _attempts(cutoff, limit),
        "refunds": _refunds(cutoff, limit),
        "payouts": _payouts(cutoff, limit, minutes),
    }


def _attempts(cutoff, limit: int) -> int:
    from .. import config

    waiting = list(
        PaymentAttempt.objects.select_related("intent")
        .filter(provider_call="starting", provider_call_at__lte=cutoff)
        .order_by("provider_call_at")[:limit]
    )
    settled = 0
    groups: dict[tuple[str, int], list[PaymentAttempt]] = {}
    for attempt in waiting:  # one listing per provider account
        groups.setdefault((attempt.provider, attempt.intent.organization_id), []).append(attempt)
    for (provider, organization_id), attempts in groups.items():
        adapter = config.provider_for(provider, organization_id=organization_id)
        found = {}
        if adapter.supports(Capability.LIST):
            tokens = {a.token for a in attempts}
            start = min(a.created_at for a in attempts) - timedelta(minutes=5)
            try:
                for info in adapter.list_transactions(start=start, end=timezone.now() + timedelta(minutes=5)):
                    if info.partner_reference in tokens:
                        found[info.partner_reference] = info
            except ProviderUnavailable:
                logger.warning("payments_provider_unavailable", extra={"provider": provider})
                continue
        derived = getattr(adapter, "attempt_reference", None)  # MTN MoMo: the id is derived
        for attempt in attempts:
            info = found.get(attempt.token)
            if info is None and derived is not None:
                try:
                    asked = adapter.verify(derived(attempt.token))
                except ProviderUnavailable:
                    logger.warning("payments_provider_unavailable", extra={"provider": provider})
                    continue
                info = asked if asked.status != TxStatus.NOT_FOUND else None
            applied = False
            if info is not None:  # binding it ends `starting` (unless the id is taken elsewhere)
                intents.attempt_apply(attempt_id=attempt.pk, info=info)
                applied = not PaymentAttempt.objects.filter(pk=attempt.pk, provider_call="starting").exists()
            failed = not applied and intents.start_failed(
                attempt_id=attempt.pk,
                code="start_interrupted",
                message="the checkout was not found at the provider",
            )
            settled += applied or failed
    return settled


def _refunds(cutoff, limit: int) -> int:
    waiting = (
        Refund.objects.filter(status=Refund.Status.REQUESTED)
        .filter(Q(provider_call_at__lte=cutoff) | Q(provider_call_at__isnull=True, created_at__lte=cutoff))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    settled = 0
    for refund_pk in list(waiting):
        refund = intents.refund_send(refund_pk=refund_pk)
        settled += refund.status != Refund.Status.REQUESTED
    return settled


def _payouts(cutoff, limit: int, minutes: int) -> int:
    waiting = (
        Payout.objects.filter(status=PayoutStatus.REQUESTED)
        .filter(
            Q(provider_call="sending", provider_call_at__lte=cutoff)
            | Q(provider_call="", created_at__lte=cutoff)  # its send task was lost
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    settled = 0
    for payout_pk in list(waiting):
        try:
            status = payouts.payout_send(payout_pk=payout_pk, stale_after_minutes=minutes)
        except NotSupported:
            logger.error("payments_payout_cannot_be_looked_up", extra={"payout": payout_pk})
            continue
        settled += status != PayoutStatus.REQUESTED
    return settled
