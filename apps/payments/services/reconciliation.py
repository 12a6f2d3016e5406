"""Daily reconciliation: what the provider says against what we recorded.

For each online provider and day: pull its transactions (LIST capability) or verify, one
by one, every attempt of the day that has a provider reference. Then:
  - paid at the provider, pending or failed with us → applied now (the success is posted);
    flagged "paid_not_recorded" so people see that a webhook was missed;
  - amount or currency differs → flagged, money to suspense (attempt_apply does it);
  - a transaction no attempt knows → flagged "unknown_transaction", money to suspense;
  - recorded as paid with us but not successful at the provider → flagged "missing".
Stale pending attempts (older than PAYMENT_STALE_PENDING_MINUTES) are settled by asking
the provider. The report is in the admin; the counts are Prometheus metrics.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from .. import config, metrics
from ..contracts import AttemptStatus
from ..models import PaymentAttempt, ReconciliationItem, ReconciliationReport
from ..providers.base import Capability, ProviderUnavailable, TxStatus
from . import intents

logger = logging.getLogger("hokwe.payments")


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def reconcile(*, provider: str, day: date) -> ReconciliationReport:
    report, _created = ReconciliationReport.objects.get_or_create(provider=provider, day=day)
    adapter = config.provider_for(provider)
    start, end = _day_bounds(day)
    checked = matched = flagged = 0

    def flag(**kwargs):
        nonlocal flagged
        flagged += 1
        item = intents.to_suspense(provider=provider, report=report, **kwargs)
        if item.report_id is None:
            ReconciliationItem.objects.filter(pk=item.pk).update(report=report)

    if adapter.supports(Capability.LIST):
        transactions = adapter.list_transactions(start=start, end=end)
    else:
        attempts = PaymentAttempt.objects.filter(
            provider=provider, created_at__gte=start, created_at__lt=end
        ).exclude(provider_reference="")
        transactions = (adapter.verify(a.provider_reference) for a in attempts.iterator())
    seen = set()
    for info in transactions:
        checked += 1
        seen.add(info.reference)
        match = Q(provider_reference=info.reference)
        if info.partner_reference:
            match |= Q(token=info.partner_reference, provider_reference="")
        attempt = PaymentAttempt.objects.select_related("intent").filter(match, provider=provider).first()
        if info.status != TxStatus.SUCCEEDED:
            if (
                attempt is not None
                and attempt.status == AttemptStatus.SUCCEEDED
                and info.status != TxStatus.PENDING
            ):
                flag(
                    reference=info.reference,
                    amount=0,
                    currency=attempt.intent.currency,
                    kind=ReconciliationItem.Kind.MISSING,
                    detail=f"paid with us, {info.status} at the provider",
                    intent=attempt.intent,
                    attempt=attempt,
                )
            elif attempt is not None and attempt.status == AttemptStatus.PENDING:
                intents.attempt_apply(attempt_id=attempt.pk, info=info)
            continue
        if attempt is None:
            flag(
                reference=info.reference,
                amount=info.amount or 0,
                currency=info.currency or "XOF",
                kind=ReconciliationItem.Kind.UNKNOWN,
                detail="paid at the provider, no intent knows it",
                refund_due=True,
            )
            continue
        if attempt.status == AttemptStatus.SUCCEEDED:
            matched += 1
            continue
        before = attempt.status
        outcome = intents.attempt_apply(attempt_id=attempt.pk, info=info)
        if outcome == "succeeded" and before in (AttemptStatus.PENDING, AttemptStatus.FAILED):
            ReconciliationItem.objects.get_or_create(
                provider=provider,
                provider_reference=info.reference,
                kind=ReconciliationItem.Kind.PAID_NOT_RECORDED,
                defaults=dict(
                    report=report,
                    intent=attempt.intent,
                    attempt=attempt,
                    amount_provider=info.amount,
                    amount_expected=attempt.intent.amount,
                    currency=attempt.intent.currency,
                    detail="no webhook was applied; recorded by reconciliation",
                    resolved=True,
                ),
            )
            metrics.RECON_ITEMS.labels(provider=provider, kind="paid_not_recorded").inc()
            flagged += 1
        elif outcome == "suspense":
            ReconciliationItem.objects.filter(
                provider=provider, provider_reference=info.reference, report__isnull=True
            ).update(report=report)
            flagged += 1
        else:
            matched += 1
    report.checked = checked
    report.matched = matched
    report.flagged = ReconciliationItem.objects.filter(report=report).count()
    report.settled = settle_stale_pending(provider=provider)
    report.finished_at = timezone.now()
    report.save()
    metrics.RECON_OPEN.labels(provider=provider).set(
        ReconciliationItem.objects.filter(provider=provider, resolved=False).count()
    )
    return report


def settle_stale_pending(
    *, provider: str | None = None, older_than_minutes: int | None = None, limit: int = 500
) -> int:
    """Ask the provider about attempts left pending (a lost webhook, a closed browser)."""
    from django.conf import settings

    minutes = settings.PAYMENT_STALE_PENDING_MINUTES if older_than_minutes is None else older_than_minutes
    qs = (
        PaymentAttempt.objects.select_related("intent")
        .filter(status=AttemptStatus.PENDING, created_at__lte=timezone.now() - timedelta(minutes=minutes))
        .exclude(provider_reference="")
    )
    qs = qs.exclude(provider__in=["cash", "bank_transfer", "wallet"])
    if provider:
        qs = qs.filter(provider=provider)
    settled = 0
    for attempt in qs.order_by("created_at")[:limit]:
        try:
            outcome = intents.attempt_verify(attempt=attempt)
        except ProviderUnavailable:
            logger.warning("payments_provider_unavailable", extra={"provider": attempt.provider})
            break
        settled += outcome != "unchanged"
    return settled


def reconcile_all(*, day: date | None = None) -> list[ReconciliationReport]:
    day = day or (timezone.localdate() - timedelta(days=1))
    reports = []
    for provider in config.online_providers():
        try:
            reports.append(reconcile(provider=provider, day=day))
        except ProviderUnavailable:
            logger.warning("payments_reconciliation_provider_down", extra={"provider": provider})
    return reports
