"""Lending hands a late loan over to recovery: the nightly run opens one loan case per loan
(idempotent, batched), repayments keep it up to date and close it when the loan is repaid, a
write-off and a restructuring close it; the daily sync of rent cases leaves it alone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from apps.lending.models import LoanHandover
from apps.lending.services import repayments
from apps.lending.services.delinquency import nightly_run
from apps.lending.services.restructure import restructure
from apps.lending.services.write_off import write_off
from apps.recovery.models import Case
from apps.recovery.services import cases_sync
from tests.identity.factories import UserFactory
from tests.lending.repayment_helpers import top_up, verified

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 3)


def handed_over(book_loan, **kw):
    loan = book_loan(principal=90_000, term=3, first_due=TODAY - timedelta(days=70), **kw)
    nightly_run(today=TODAY)
    loan.refresh_from_db()
    assert loan.bucket == "61-90"
    return loan


def test_the_nightly_run_opens_one_loan_case_per_handed_over_loan(book_loan):
    loan = handed_over(book_loan)
    on_time = book_loan(principal=60_000, term=2, first_due=TODAY + timedelta(days=10))
    case = Case.objects.get(loan=loan.public_id)
    handover = LoanHandover.objects.get(loan=loan)
    assert handover.case == case.public_id
    assert case.kind == "loan" and case.lease is None and case.status == "open"
    assert case.loan_reference == loan.number and case.amount_owed == loan.outstanding
    assert case.currency == loan.currency and case.tenant_id == loan.borrower_id
    assert case.pay_url.endswith(f"/lending/loans/{loan.public_id}/pay-link")
    assert case.oldest_due_date == TODAY - timedelta(days=70)
    assert case.ladder is not None  # the lender's organization gets the standard ladder
    assert not Case.objects.filter(loan=on_time.public_id).exists()

    nightly_run(today=TODAY + timedelta(days=1))  # the next night: still one case
    assert Case.objects.filter(loan=loan.public_id).count() == 1
    # the rent sync follows estate's arrears only: the loan case stays open
    cases_sync(today=TODAY + timedelta(days=1))
    case.refresh_from_db()
    assert case.status == "open" and case.amount_owed == loan.outstanding


def test_a_repayment_updates_the_case_and_the_payoff_closes_it(book_loan):
    loan = handed_over(book_loan)
    verified(loan.borrower)
    top_up(loan.borrower, 500_000)
    case = Case.objects.get(loan=loan.public_id)
    first = repayments.repay(loan=loan, amount=10_000, channel="wallet", idempotency_key="r1", today=TODAY)
    loan.refresh_from_db()
    case.refresh_from_db()
    assert case.status == "open" and case.amount_owed == loan.outstanding
    assert case.recovered == first.allocated == 10_000
    assert case.events.filter(kind="payment").count() == 1
    # the same repayment replayed: nothing recorded twice
    repayments.repay(loan=loan, amount=10_000, channel="wallet", idempotency_key="r1", today=TODAY)
    case.refresh_from_db()
    assert case.recovered == 10_000

    quote = repayments.payoff(loan, TODAY).total
    repayments.repay(loan=loan, amount=quote, channel="wallet", idempotency_key="r2", today=TODAY)
    loan.refresh_from_db()
    case.refresh_from_db()
    assert loan.status == "closed"
    assert case.status == "closed" and case.outcome == "paid" and case.amount_owed == 0
    assert case.recovered == 10_000 + quote


def test_a_write_off_closes_the_case_as_written_off(book_loan):
    loan = handed_over(book_loan)
    write_off(loan=loan, actor=UserFactory(is_staff=True), reason="Débiteur introuvable", today=TODAY)
    case = Case.objects.get(loan=loan.public_id)
    assert case.status == "closed" and case.outcome == "written_off" and case.amount_owed == 0


def test_a_restructuring_closes_the_case_and_a_new_fall_opens_a_new_one(book_loan):
    loan = handed_over(book_loan)
    restructure(
        loan=loan, actor=None, reason="Perte d'emploi", term=3, first_due_date=TODAY + timedelta(days=5)
    )
    case = Case.objects.get(loan=loan.public_id)
    assert case.status == "closed" and case.outcome == "restructured"
    assert LoanHandover.objects.get(loan=loan).case is None

    nightly_run(today=TODAY + timedelta(days=70))  # the new schedule's first line 65 days late
    loan.refresh_from_db()
    assert loan.bucket == "61-90"
    cases = Case.objects.filter(loan=loan.public_id)
    assert cases.count() == 2 and cases.filter(status="open").count() == 1
    assert LoanHandover.objects.get(loan=loan).case == cases.get(status="open").public_id


def test_repaying_a_loan_never_handed_over_touches_no_case(book_loan):
    loan = book_loan(principal=60_000, term=2, first_due=TODAY)
    verified(loan.borrower)
    top_up(loan.borrower, 100_000)
    repayments.repay(loan=loan, amount=5_000, channel="wallet", idempotency_key="x", today=TODAY)
    assert not Case.objects.filter(loan=loan.public_id).exists()
