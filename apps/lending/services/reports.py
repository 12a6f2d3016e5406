"""The portfolio reports for credit staff (docs/lending.md, "Delinquency, restructuring and
write-off"): portfolio at risk from the loans, checked against the ledger, and the loan
book export.

PAR30 (PAR90) is the share of what the active loans owe that is owed by loans more than 30
(90) days past due, in basis points. The report sums the loans' balances per bucket and
reads the same loans' ledger accounts (`ledger.balance_totals` over their codes, one
set-based read per bucket): each bucket's two totals must be equal, and so must the whole
book against every loan account of the chart (`lending.loan.` prefix).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Sum
from django.utils import timezone

from apps.ledger import api as ledger

from ..contracts import LoanStatus
from ..models import AgingSnapshot, Loan
from .accounts import LOAN_PREFIX
from .delinquency import BUCKET_ORDER, provision_rates

__all__ = ["BucketLine", "ParReport", "loan_book_csv", "loan_book_rows", "par_report", "par_trend"]

PAR30_FROM = ("31-60", "61-90", "90+")
PAR90_FROM = ("90+",)


@dataclass(frozen=True)
class BucketLine:
    bucket: str
    loans: int
    principal: int
    outstanding: int  # from the loans
    ledger: int  # the same loans' ledger accounts
    provision: int  # what the allowance asks for this bucket

    @property
    def agrees(self) -> bool:
        return self.outstanding == self.ledger


@dataclass
class ParReport:
    currency: str
    day: date
    lines: list[BucketLine] = field(default_factory=list)
    book_ledger: int = 0  # every loan account of the chart in this currency

    @property
    def loans(self) -> int:
        return sum(line.loans for line in self.lines)

    @property
    def outstanding(self) -> int:
        return sum(line.outstanding for line in self.lines)

    @property
    def provision(self) -> int:
        return sum(line.provision for line in self.lines)

    def _at_risk(self, buckets) -> int:
        return sum(line.outstanding for line in self.lines if line.bucket in buckets)

    @property
    def par30_amount(self) -> int:
        return self._at_risk(PAR30_FROM)

    @property
    def par90_amount(self) -> int:
        return self._at_risk(PAR90_FROM)

    @property
    def par30_bps(self) -> int:
        return self.par30_amount * 10_000 // self.outstanding if self.outstanding else 0

    @property
    def par90_bps(self) -> int:
        return self.par90_amount * 10_000 // self.outstanding if self.outstanding else 0

    @property
    def agrees(self) -> bool:
        return all(line.agrees for line in self.lines) and self.book_ledger == self.outstanding


def _ledger_total(codes: list[str], currency: str) -> int:
    total = 0
    for start in range(0, len(codes), 20_000):
        for row in ledger.balance_totals(codes=codes[start : start + 20_000]):
            if row.currency == currency:
                total += row.posted
    return total


def par_report(*, currency: str | None = None, today: date | None = None) -> list[ParReport]:
    """One report per currency of the active book (or `currency`)."""
    today = today or timezone.localdate()
    rates = provision_rates()
    active = Loan.objects.filter(status=LoanStatus.ACTIVE)
    if currency:
        active = active.filter(currency=currency)
    sums = {
        (r["currency"], r["bucket"]): r
        for r in active.values("currency", "bucket").annotate(
            n=Count("id"),
            principal=Sum("principal_outstanding"),
            interest=Sum("interest_outstanding"),
            fees=Sum("fees_outstanding"),
        )
    }
    currencies = sorted({cur for cur, _ in sums} | ({currency} if currency else set()))
    codes: dict[tuple[str, str], list[str]] = {}
    for cur, bucket, pid in active.values_list("currency", "bucket", "public_id").iterator(chunk_size=10_000):
        codes.setdefault((cur, bucket), []).append(f"{LOAN_PREFIX}{pid}")
    reports = []
    for cur in currencies:
        report = ParReport(currency=cur, day=today)
        for bucket in BUCKET_ORDER:
            row = sums.get((cur, bucket.value))
            owed = (row["principal"] + row["interest"] + row["fees"]) if row else 0
            report.lines.append(
                BucketLine(
                    bucket=bucket.value,
                    loans=row["n"] if row else 0,
                    principal=row["principal"] if row else 0,
                    outstanding=owed,
                    ledger=_ledger_total(codes.get((cur, bucket.value), []), cur),
                    provision=owed * rates[bucket.value] // 10_000,
                )
            )
        report.book_ledger = sum(
            row.posted for row in ledger.balance_totals(prefixes=[LOAN_PREFIX]) if row.currency == cur
        )
        reports.append(report)
    return reports


def par_trend(*, currency: str, days: int = 90) -> list[dict]:
    """The nightly snapshots of the last `days` days: [{day, outstanding, par30_bps, par90_bps}]."""
    rows: dict[date, dict] = {}
    for snap in AgingSnapshot.objects.filter(currency=currency).order_by("-day")[: days * len(BUCKET_ORDER)]:
        day = rows.setdefault(snap.day, {"day": snap.day, "outstanding": 0, "par30": 0, "par90": 0})
        day["outstanding"] += snap.outstanding
        if snap.bucket in PAR30_FROM:
            day["par30"] += snap.outstanding
        if snap.bucket in PAR90_FROM:
            day["par90"] += snap.outstanding
    out = []
    for day in sorted(rows):
        r = rows[day]
        total = r["outstanding"]
        out.append(
            {
                "day": day,
                "outstanding": total,
                "par30_bps": r["par30"] * 10_000 // total if total else 0,
                "par90_bps": r["par90"] * 10_000 // total if total else 0,
            }
        )
    return out


BOOK_COLUMNS = (
    "number",
    "product",
    "borrower",
    "organization",
    "status",
    "currency",
    "principal",
    "principal_outstanding",
    "interest_outstanding",
    "fees_outstanding",
    "outstanding",
    "days_past_due",
    "bucket",
    "annual_rate_bps",
    "teg_bps",
    "term",
    "disbursed_on",
    "closed_on",
)


def loan_book_rows(*, statuses=None) -> Iterator[list]:
    """The loan book, one row per disbursed loan (active, closed, written off), streamed."""
    statuses = statuses or (LoanStatus.ACTIVE, LoanStatus.CLOSED, LoanStatus.WRITTEN_OFF)
    qs = (
        Loan.objects.filter(status__in=[s.value if hasattr(s, "value") else s for s in statuses])
        .order_by("id")
        .values_list(
            "number",
            "product__code",
            "borrower__public_id",
            "organization",
            "status",
            "currency",
            "principal",
            "principal_outstanding",
            "interest_outstanding",
            "fees_outstanding",
            "days_past_due",
            "bucket",
            "annual_rate_bps",
            "teg_bps",
            "term",
            "disbursed_on",
            "closed_on",
        )
    )
    for r in qs.iterator(chunk_size=5_000):
        number, product, borrower, org, status, cur, principal, p_out, i_out, f_out, *rest = r
        dpd, bucket, rate, teg, term, disbursed, closed = rest
        yield [
            number,
            product,
            str(borrower),
            str(org or ""),
            status,
            cur,
            principal,
            p_out,
            i_out,
            f_out,
            p_out + i_out + f_out,
            dpd,
            bucket,
            rate,
            teg,
            term,
            disbursed.isoformat() if disbursed else "",
            closed.isoformat() if closed else "",
        ]


class _Echo:
    def write(self, value):
        return value


def loan_book_csv() -> Iterator[str]:
    """The loan book as CSV lines (amounts in minor units), for a streaming response."""
    writer = csv.writer(_Echo())
    yield writer.writerow(BOOK_COLUMNS)
    for row in loan_book_rows():
        yield writer.writerow(row)
