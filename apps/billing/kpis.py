"""Billing's business figures (apps/core/kpis.py; analytics keeps them): Hokwe's own revenue
from the agencies' subscriptions, for the platform (the nil UUID).

    InvoicePaid  billing.paid   invoices paid, by method
    snapshot     billing.mrr    (gauge) monthly recurring revenue of the paying subscriptions,
                                per currency (the staff report's figure: services/reports.mrr)
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from apps.core.kpis import PLATFORM, Fact, Metric, Source

from .events import InvoicePaid
from .services.reports import mrr

METRICS = [
    Metric("billing.paid", _("Subscription invoices paid")),
    Metric("billing.mrr", _("Monthly recurring revenue"), kind="gauge"),
]


def _paid(events):
    for e in events:
        yield [
            Fact(
                "billing.paid",
                organization=PLATFORM,
                day=date.fromisoformat(e.paid_on),
                value=e.total,
                currency=e.currency,
                dimension=e.method[:60],
            )
        ]


SOURCES = [Source(InvoicePaid, _paid)]


def mrr_snapshot(day: date):
    for line in mrr(today=day):
        yield Fact(
            "billing.mrr",
            organization=PLATFORM,
            day=day,
            value=line.mrr,
            count=line.subscriptions,
            currency=line.currency,
        )


SNAPSHOTS = [mrr_snapshot]
