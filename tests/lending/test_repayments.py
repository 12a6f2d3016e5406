"""Repayments: billing what falls due, allocation (fees, interest, principal; oldest first),
prepayment and payoff, excess, idempotency, the events, and the loan = the ledger."""

from __future__ import annotations

from datetime import timedelta

import pytest

from apps.core.errors import IdempotencyConflict
from apps.core.models import OutboxEvent
from apps.ledger import api as ledger
from apps.lending.errors import AmountAboveOwed, InvalidLoanState, NothingToRepay, RepaymentAmountInvalid
from apps.lending.models import Instalment, InstalmentBilling, Loan, Repayment
from apps.lending.services import accounting, repayments
from tests.identity.factories import UserFactory

from .repayment_helpers import active_loan, loan_balance, top_up, verified, wallet_balance

pytestmark = pytest.mark.django_db


def _lines(loan):
    return list(Instalment.objects.filter(loan=loan, superseded=False).order_by("number"))


def _agrees(loan):
    loan.refresh_from_db()
    assert loan.outstanding == loan_balance(loan)
    return loan


@pytest.fixture
def borrower():
    return verified(UserFactory())


def test_bill_due_bills_each_due_instalment_once_and_raises_what_is_owed(borrower):
    loan = active_loan(borrower, principal=120_000, term=3, fee_per_instalment=500)
    first = _lines(loan)[0]
    assert _agrees(loan).outstanding == 120_000
    result = accounting.bill_due(first.due_date - timedelta(days=1))
    assert result.instalments == 0
    result = accounting.bill_due(first.due_date)
    assert (result.instalments, result.loans) == (1, 1)
    loan = _agrees(loan)
    assert loan.interest_outstanding == first.interest > 0
    assert loan.fees_outstanding == 500
    again = accounting.bill_due(first.due_date + timedelta(days=3))
    assert again.instalments == 0
    assert _agrees(loan).interest_outstanding == first.interest
    income = ledger.balance(account=accounting.system("lending.interest_income", "XOF")).posted
    assert income >= first.interest


def test_bill_due_is_set_based_over_many_loans(borrower):
    loans = [active_loan(borrower, principal=50_000 + i, term=2) for i in range(4)]
    due = _lines(loans[0])[0].due_date
    result = accounting.bill_due(due, batch_size=3)  # two chunks
    assert (result.instalments, result.loans) == (4, 4)
    assert InstalmentBilling.objects.filter(loan__in=loans).count() == 4
    for loan in loans:
        _agrees(loan)


def test_a_payment_pays_fees_then_interest_then_principal_oldest_first(borrower):
    loan = active_loan(borrower, principal=90_000, term=3, fee_per_instalment=1_000)
    one, two, three = _lines(loan)
    today = two.due_date  # two instalments due
    amount = one.total + 1_000 + 200  # the first whole, the second's fee and 200 of its interest
    repayment = repayments.repay(
        loan=loan, amount=amount, channel="wallet", idempotency_key="k1", actor=borrower, today=today
    )
    assert (repayment.fees, repayment.interest, repayment.principal) == (
        2_000,
        one.interest + 200,
        one.principal,
    )
    assert repayment.prepaid == 0 and repayment.excess == 0
    one, two, three = _lines(loan)
    assert one.status == "paid" and one.paid_on == today
    assert two.status == "partly_paid" and two.paid_fee == 1_000 and two.paid_interest == 200
    assert two.paid_principal == 0 and three.status == "pending"
    loan = _agrees(loan)
    assert loan.principal_outstanding == 90_000 - one.principal
    assert [a["number"] for a in repayment.allocation] == [1, 2]
    paid = OutboxEvent.objects.filter(name="lending.InstalmentPaid")
    assert [e.payload["number"] for e in paid] == [1]
    assert paid[0].payload["days_late"] == (today - one.due_date).days


def test_the_product_order_interest_first(borrower):
    loan = active_loan(
        borrower,
        principal=90_000,
        term=3,
        fee_per_instalment=1_000,
        allocation_order=["interest", "principal", "fees"],
    )
    one = _lines(loan)[0]
    repayment = repayments.repay(
        loan=loan, amount=one.interest + 100, channel="wallet", idempotency_key="k", today=one.due_date
    )
    assert (repayment.interest, repayment.principal, repayment.fees) == (one.interest, 100, 0)
    _agrees(loan)


def test_a_prepayment_pays_the_next_principal_and_the_interest_still_falls_due(borrower):
    loan = active_loan(borrower, principal=90_000, term=3)
    one, two, three = _lines(loan)
    today = one.due_date
    repayment = repayments.repay(
        loan=loan, amount=one.total + 10_000, channel="wallet", idempotency_key="pre", today=today
    )
    assert repayment.prepaid == 10_000 and repayment.principal == one.principal + 10_000
    two = _lines(loan)[1]
    assert two.paid_principal == 10_000 and two.paid_interest == 0
    accounting.bill_due(two.due_date)
    loan = _agrees(loan)
    assert loan.interest_outstanding == two.interest


def test_a_payoff_closes_the_loan_with_the_current_period_accrued_to_the_day(borrower):
    loan = active_loan(borrower, principal=100_000, term=4)
    one, two, *_ = _lines(loan)
    today = one.due_date + timedelta(days=(two.due_date - one.due_date).days // 2)
    repayments.repay(loan=loan, amount=one.total, channel="wallet", idempotency_key="1", today=one.due_date)
    quote = repayments.payoff(loan, today)
    assert quote.principal == 100_000 - one.principal
    assert 0 < quote.interest < two.interest
    top_up(borrower, 20_000)
    before = wallet_balance(borrower)
    repayment = repayments.repay(
        loan=loan, amount=quote.total + 5_000, channel="wallet", idempotency_key="2", today=today
    )
    assert repayment.closed_loan and repayment.excess == 0 and repayment.amount == quote.total
    assert wallet_balance(borrower) == before - quote.total  # the excess never left the wallet
    loan = _agrees(loan)
    assert loan.status == "closed" and loan.outstanding == 0 and loan.closed_on == today
    assert all(line.status == "paid" for line in _lines(loan))
    assert _lines(loan)[1].interest == quote.interest and _lines(loan)[2].interest == 0
    closed = OutboxEvent.objects.get(name="lending.LoanClosed")
    assert closed.payload["prepaid"] is True
    # nothing is billed after the close
    assert accounting.bill_due(_lines(loan)[-1].due_date).instalments == 0
    assert loan_balance(loan) == 0


def test_paying_every_instalment_on_time_closes_the_loan(borrower):
    loan = active_loan(borrower, principal=60_000, term=2)
    top_up(borrower, 5_000)
    for line in _lines(loan):
        repayments.repay(
            loan=loan,
            amount=line.total,
            channel="wallet",
            idempotency_key=f"n{line.number}",
            today=line.due_date,
        )
    loan = _agrees(loan)
    assert loan.status == "closed" and loan.outstanding == 0
    assert OutboxEvent.objects.get(name="lending.LoanClosed").payload["prepaid"] is False
    assert OutboxEvent.objects.filter(name="lending.InstalmentPaid").count() == 2


def test_excess_from_another_channel_goes_back_to_the_wallet(borrower):
    loan = active_loan(borrower, principal=30_000, term=1)
    line = _lines(loan)[0]
    source = ledger.system_account(code="provider_clearing.sandbox", currency="XOF").public_id
    before = wallet_balance(borrower)
    repayment = repayments.repay(
        loan=loan,
        amount=line.total + 2_500,
        channel="cash",
        source_account=source,
        idempotency_key="x",
        today=line.due_date,
    )
    assert repayment.excess == 2_500 and repayment.closed_loan
    assert wallet_balance(borrower) == before + 2_500
    _agrees(loan)


def test_excess_refused_by_the_product_rule(borrower):
    loan = active_loan(borrower, principal=30_000, term=1, excess_rule="refuse")
    line = _lines(loan)[0]
    with pytest.raises(AmountAboveOwed):
        repayments.repay(
            loan=loan, amount=line.total + 1, channel="wallet", idempotency_key="r", today=line.due_date
        )
    assert not Repayment.objects.exists()
    assert _agrees(loan).status == "active"


def test_no_prepayment_product_takes_only_what_is_due(borrower):
    loan = active_loan(borrower, principal=60_000, term=2, prepayment_allowed=False)
    one = _lines(loan)[0]
    repayment = repayments.repay(
        loan=loan, amount=one.total + 5_000, channel="wallet", idempotency_key="np", today=one.due_date
    )
    assert repayment.amount == one.total and repayment.prepaid == 0
    _agrees(loan)


def test_idempotent_replay_and_conflict(borrower):
    loan = active_loan(borrower, principal=60_000, term=2)
    one = _lines(loan)[0]
    first = repayments.repay(
        loan=loan, amount=5_000, channel="wallet", idempotency_key="same", today=one.due_date
    )
    again = repayments.repay(
        loan=loan, amount=5_000, channel="wallet", idempotency_key="same", today=one.due_date
    )
    assert again.pk == first.pk and Repayment.objects.count() == 1
    with pytest.raises(IdempotencyConflict):
        repayments.repay(
            loan=loan, amount=6_000, channel="wallet", idempotency_key="same", today=one.due_date
        )
    _agrees(loan)


def test_refusals(borrower):
    loan = active_loan(borrower, principal=60_000, term=2)
    with pytest.raises(RepaymentAmountInvalid):
        repayments.repay(loan=loan, amount=0, channel="wallet", idempotency_key="z")
    Loan.objects.filter(pk=loan.pk).update(status="closed")
    with pytest.raises(InvalidLoanState):
        repayments.repay(loan=loan, amount=100, channel="wallet", idempotency_key="c")


def test_nothing_to_repay_when_prepayment_is_not_allowed_and_nothing_is_due(borrower):
    loan = active_loan(borrower, principal=60_000, term=2, prepayment_allowed=False)
    with pytest.raises(NothingToRepay):
        repayments.repay(loan=loan, amount=100, channel="wallet", idempotency_key="n")


def test_an_empty_wallet_refuses_and_writes_nothing(borrower):
    loan = active_loan(borrower, principal=60_000, term=2, to_wallet=False)
    one = _lines(loan)[0]
    with pytest.raises(ledger.InsufficientFunds):
        repayments.repay(
            loan=loan, amount=one.total, channel="wallet", idempotency_key="e", today=one.due_date
        )
    assert not Repayment.objects.exists()


def test_autodebit_takes_what_is_due_from_the_wallet_once_a_day(borrower):
    loan = active_loan(borrower, principal=60_000, term=2)
    one = _lines(loan)[0]
    result = repayments.autodebit_due(one.due_date)
    assert (result.loans, result.repaid, result.amount) == (1, 1, one.total)
    assert repayments.autodebit_due(one.due_date).repaid == 0  # nothing due any more
    assert _lines(loan)[0].status == "paid"
    _agrees(loan)


def test_autodebit_takes_what_an_almost_empty_wallet_has(borrower):
    loan = active_loan(borrower, principal=60_000, term=2, to_wallet=False)
    top_up(borrower, 1_000)
    one = _lines(loan)[0]
    result = repayments.autodebit_due(one.due_date)
    assert result.amount == 1_000 and wallet_balance(borrower) == 0
    assert _lines(loan)[0].status == "partly_paid"
    assert repayments.autodebit_due(one.due_date + timedelta(days=1)).skipped == 1
    _agrees(loan)


def test_a_partial_prepayment_lowers_the_later_interest_on_the_declining_balance(borrower):
    loan = active_loan(borrower, principal=120_000, term=4, annual_rate_bps=3_600)
    one, two, three, four = _lines(loan)
    today = one.due_date + timedelta(days=10)  # a third into the second period
    repayments.repay(loan=loan, amount=one.total, channel="wallet", idempotency_key="1", today=one.due_date)
    repayments.repay(loan=loan, amount=60_000, channel="wallet", idempotency_key="2", today=today)
    _, two_after, three_after, four_after = _lines(loan)
    assert two_after.interest < two.interest and three_after.interest < three.interest
    assert four_after.interest <= four.interest
    # the current period: a third on the old balance, the rest on the new one (3 % a month)
    balance = 120_000 - one.principal - 60_000
    length = (two.due_date - one.due_date).days
    expected = round(two.interest * 10 / length + balance * 0.03 * (length - 10) / length)
    assert abs(two_after.interest - expected) <= 1
    _agrees(loan)


def test_flat_interest_is_not_repriced_by_a_prepayment(borrower):
    loan = active_loan(borrower, principal=120_000, term=3, interest_method="flat")
    one, two, three = _lines(loan)
    repayments.repay(
        loan=loan, amount=one.total + 50_000, channel="wallet", idempotency_key="f", today=one.due_date
    )
    assert [line.interest for line in _lines(loan)] == [one.interest, two.interest, three.interest]
    _agrees(loan)


def test_bill_due_runs_the_same_queries_for_3_or_12_loans(borrower):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(count, day_offset):
        loans = [
            active_loan(borrower, principal=40_000 + i, term=2, fee_per_instalment=100) for i in range(count)
        ]
        day = _lines(loans[0])[0].due_date + timedelta(days=day_offset)
        with CaptureQueriesContext(connection) as captured:
            result = accounting.bill_due(day)
        assert result.loans == count
        for loan in loans:
            _agrees(loan)
        accounting.bill_due(day + timedelta(days=400))  # the second lines too: a clean slate
        return len(captured)

    queries(1, 0)  # the income accounts are created on first use
    assert queries(3, 0) == queries(12, 1)


def test_a_restructured_loan_is_repaid_and_paid_off_on_its_new_schedule(borrower):
    from datetime import date

    from apps.lending.services import restructure

    today = date.today()
    loan = active_loan(borrower, principal=90_000, term=3, first_due_date=today - timedelta(days=5))
    top_up(borrower, 20_000)
    accounting.bill_due(today)
    owed = _agrees(loan).outstanding
    restructure.restructure(
        loan=loan, actor=None, reason="test", term=2, first_due_date=today + timedelta(days=30)
    )
    loan = _agrees(loan)
    assert loan.principal_outstanding == owed
    new_one = Instalment.objects.get(loan=loan, superseded=False, version=2, number=1)
    quote = repayments.payoff(loan, today + timedelta(days=15))
    # the new schedule's first period began with the restructuring: half of it is accrued
    assert abs(quote.interest - new_one.interest * 15 // 30) <= 1 and quote.principal == owed
    repayments.repay(
        loan=loan, amount=quote.total, channel="wallet", idempotency_key="r", today=today + timedelta(days=15)
    )
    loan = _agrees(loan)
    assert loan.status == "closed" and loan_balance(loan) == 0


def test_the_daily_autodebit_task_is_scheduled_and_runs(borrower, settings):
    from apps.lending.tasks import autodebit

    assert settings.CELERY_BEAT_SCHEDULE["lending.autodebit"]["task"] == "lending.autodebit"
    active_loan(borrower, principal=30_000, term=2)
    assert autodebit() == {"loans": 0, "repaid": 0, "amount": 0, "skipped": 0}  # nothing due today
