"""The PAR report and the ledger agree (per bucket and for the whole book); the trend from
the nightly snapshots; the loan book export."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest

from apps.lending.services.delinquency import nightly_run
from apps.lending.services.reports import BOOK_COLUMNS, loan_book_csv, par_report, par_trend
from apps.lending.services.write_off import write_off

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 3)


def test_par_report_agrees_with_the_ledger(book_loan):
    current = book_loan(principal=200_000, term=4, first_due=TODAY + timedelta(days=10))
    late40 = book_loan(principal=100_000, term=3, first_due=TODAY - timedelta(days=40), late_fee_fixed=500)
    late95 = book_loan(principal=50_000, term=2, first_due=TODAY - timedelta(days=95), late_fee_fixed=500)
    gone = book_loan(principal=30_000, term=2, first_due=TODAY - timedelta(days=120))
    nightly_run(today=TODAY)
    write_off(loan=gone, actor=None, reason="test", today=TODAY)

    (report,) = par_report(today=TODAY)
    for loan in (current, late40, late95):
        loan.refresh_from_db()
    lines = {line.bucket: line for line in report.lines}
    assert report.currency == "XOF" and report.loans == 3
    assert lines["current"].outstanding == current.outstanding
    assert lines["31-60"].outstanding == late40.outstanding and lines["90+"].outstanding == late95.outstanding
    assert all(line.agrees for line in report.lines) and report.agrees
    assert report.book_ledger == report.outstanding
    total = current.outstanding + late40.outstanding + late95.outstanding
    assert report.par30_amount == late40.outstanding + late95.outstanding
    assert report.par30_bps == (late40.outstanding + late95.outstanding) * 10_000 // total
    assert report.par90_bps == late95.outstanding * 10_000 // total

    trend = par_trend(currency="XOF")
    assert trend[-1]["day"] == TODAY and trend[-1]["par90_bps"] > 0


def test_the_loan_book_export(book_loan):
    loan = book_loan(principal=75_000, term=3)
    rows = list(csv.reader(loan_book_csv()))
    assert tuple(rows[0]) == BOOK_COLUMNS
    (row,) = rows[1:]
    data = dict(zip(BOOK_COLUMNS, row, strict=True))
    assert data["number"] == loan.number and data["outstanding"] == "75000" and data["status"] == "active"


def test_the_api_gives_the_portfolio_at_risk(book_loan):
    from apps.lending import api as lending

    book_loan(principal=100_000, term=2, first_due=TODAY - timedelta(days=40))
    nightly_run(today=TODAY)
    (par,) = lending.portfolio_at_risk("XOF")
    assert par.agrees and par.loans == 1 and par.par30_bps == 10_000 and par.par90_bps == 0
    assert {b.bucket: b.loans for b in par.buckets}["31-60"] == 1
