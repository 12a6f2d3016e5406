"""The wallet's business figures (apps/core/kpis.py; analytics keeps them): Cotis'Hokwe's
volumes. Tontines are between users, not an agency's: the figures count for the platform
(the nil UUID).

    ContributionPaid  tontine.contributions   the contribution, « on_time » or « late »
    PotPaid           tontine.pots            the pot, to the « wallet » or the « rent »
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.kpis import PLATFORM, Fact, Metric, Source

from .events import ContributionPaid, PotPaid

METRICS = [
    Metric("tontine.contributions", _("Tontine contributions")),
    Metric("tontine.pots", _("Tontine pots paid")),
]


def _contributions(events):
    for e in events:
        yield [
            Fact(
                "tontine.contributions",
                organization=PLATFORM,
                day=date.fromisoformat(e.paid_on),
                value=e.amount,
                currency=e.currency,
                dimension="late" if e.late else "on_time",
            )
        ]


def _pots(events):
    today = timezone.localdate()
    for e in events:
        yield [
            Fact(
                "tontine.pots",
                organization=PLATFORM,
                day=today,
                value=e.amount,
                currency=e.currency,
                dimension=e.paid_to,
            )
        ]


SOURCES = [Source(ContributionPaid, _contributions), Source(PotPaid, _pots)]
