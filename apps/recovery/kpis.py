"""Recovery's business figures (apps/core/kpis.py; analytics keeps them): cases opened and
closed, and what was recovered — the recovery rate is recovered / owed at opening of the cases
closed in a period.

    CaseOpened  recovery.opened     the amount owed when the case opened (by kind: rent, loan)
    CaseClosed  recovery.closed     the amount owed at opening, by outcome
                recovery.recovered  what was recovered, by outcome
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.kpis import Fact, Metric, Source

from .events import CaseClosed, CaseOpened

METRICS = [
    Metric("recovery.opened", _("Recovery cases opened")),
    Metric("recovery.closed", _("Recovery cases closed")),
    Metric("recovery.recovered", _("Amount recovered")),
]


def _opened(events):
    today = timezone.localdate()
    for e in events:
        yield [
            Fact(
                "recovery.opened",
                organization=e.organization_id,
                day=today,
                value=e.amount,
                currency=e.currency,
                dimension=e.kind,
            )
        ]


def _closed(events):
    today = timezone.localdate()
    for e in events:
        common = {
            "organization": e.organization_id,
            "day": today,
            "currency": e.currency,
            "dimension": e.outcome,
        }
        yield [
            Fact("recovery.closed", value=e.amount_at_open, **common),
            Fact("recovery.recovered", value=e.recovered, **common),
        ]


SOURCES = [Source(CaseOpened, _opened), Source(CaseClosed, _closed)]
