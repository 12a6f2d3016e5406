"""Payments' business figures (apps/core/kpis.py; analytics keeps them): the payment success
rate per provider (« taux de réussite des paiements »), the amounts by method, the payouts.

    PaymentSucceeded  payments.succeeded (by « provider/method »), payments.amount (by method)
    PaymentFailed     payments.failed (by « provider/method »; on the day it is handled)
    PayoutCompleted   payouts.paid (paid payouts only)

A payment with no payee organization (a wallet top-up) counts for the platform (
`apps.core.kpis.PLATFORM`, the nil UUID)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.kpis import PLATFORM, Fact, Metric, Source

from .events import PaymentFailed, PaymentSucceeded, PayoutCompleted

METRICS = [
    Metric("payments.succeeded", _("Payments succeeded"), unit="count"),
    Metric("payments.failed", _("Payments failed"), unit="count"),
    Metric("payments.amount", _("Amount paid in"), help=_("Successful payments, by method.")),
    Metric("payouts.paid", _("Payouts paid")),
]


def outcome_key(provider: str, method: str) -> str:
    """A success-rate breakdown: « provider/method » (« unknown » for what is not said)."""
    return f"{(provider or 'unknown')[:29]}/{(method or 'unknown')[:29]}"


def _day(value: str):
    try:
        return timezone.localdate(datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return timezone.localdate()


def _succeeded(events):
    for e in events:
        org = e.organization_id or PLATFORM
        day = _day(e.succeeded_at)
        yield [
            Fact(
                "payments.succeeded", organization=org, day=day, dimension=outcome_key(e.provider, e.method)
            ),
            Fact(
                "payments.amount",
                organization=org,
                day=day,
                value=e.amount,
                currency=e.currency,
                dimension=e.method,
            ),
        ]


def _failed(events):
    today = timezone.localdate()
    for e in events:
        yield [
            Fact(
                "payments.failed",
                organization=e.organization_id or PLATFORM,
                day=today,
                dimension=outcome_key(e.provider, e.method),
            )
        ]


def _payouts(events):
    today = timezone.localdate()
    for e in events:
        if e.status != "paid" or not e.organization_id:
            yield []
            continue
        yield [
            Fact(
                "payouts.paid", organization=e.organization_id, day=today, value=e.amount, currency=e.currency
            )
        ]


SOURCES = [
    Source(PaymentSucceeded, _succeeded),
    Source(PaymentFailed, _failed),
    Source(PayoutCompleted, _payouts),
]
