"""Lending's business figures (apps/core/kpis.py; analytics keeps them). The loan book is
Hokwe's, not an agency's: every figure counts for the platform (the nil UUID), with the
agency when a loan names one (a landlord's advance).

    LoanDisbursed   loans.disbursed     principal, by product
    InstalmentPaid  loans.repaid        the instalment, « on_time » or « late »
    LoanWrittenOff  loans.written_off   what the book gave up
    snapshot        loans.outstanding   (gauge) what the active loans owe, by bucket
                                        (current, 1-30 … 90+): PAR30 is the share owed by
                                        the buckets past 30 days
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Sum
from django.utils.translation import gettext_lazy as _

from apps.core.kpis import PLATFORM, Fact, Metric, Source

from .contracts import LoanStatus
from .events import InstalmentPaid, LoanDisbursed, LoanWrittenOff
from .models import Loan

METRICS = [
    Metric("loans.disbursed", _("Loans disbursed")),
    Metric("loans.repaid", _("Loan instalments repaid")),
    Metric("loans.written_off", _("Loans written off")),
    Metric("loans.outstanding", _("Loan book outstanding"), kind="gauge"),
]


def _disbursed(events):
    for e in events:
        yield [
            Fact(
                "loans.disbursed",
                organization=e.organization or PLATFORM,
                day=date.fromisoformat(e.disbursed_on),
                value=e.principal,
                currency=e.currency,
                dimension=e.product[:60],
            )
        ]


def _repaid(events):
    for e in events:
        yield [
            Fact(
                "loans.repaid",
                organization=PLATFORM,
                day=date.fromisoformat(e.paid_on),
                value=e.amount,
                currency=e.currency,
                dimension="late" if e.days_late > 0 else "on_time",
            )
        ]


def _written_off(events):
    for e in events:
        yield [
            Fact(
                "loans.written_off",
                organization=PLATFORM,
                day=date.fromisoformat(e.written_off_on),
                value=e.amount,
                currency=e.currency,
            )
        ]


SOURCES = [
    Source(LoanDisbursed, _disbursed),
    Source(InstalmentPaid, _repaid),
    Source(LoanWrittenOff, _written_off),
]


def book_snapshot(day: date):
    """What the active loans owe that night, per currency and bucket."""
    rows = (
        Loan.objects.filter(status=LoanStatus.ACTIVE)
        .values("currency", "bucket")
        .annotate(
            owed=Sum(F("principal_outstanding") + F("interest_outstanding") + F("fees_outstanding")),
            n=Count("id"),
        )
    )
    for row in rows:
        yield Fact(
            "loans.outstanding",
            organization=PLATFORM,
            day=day,
            value=int(row["owed"] or 0),
            count=row["n"],
            currency=row["currency"],
            dimension=row["bucket"],
        )


SNAPSHOTS = [book_snapshot]
