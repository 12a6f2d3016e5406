"""Repayment channels: a MoMo pay link paid by the sandbox (applied by lending's handler on
PaymentSucceeded, once), its excess when the loan was repaid meanwhile, the emergency fund
(only what is available), and who may ask for a pay link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.lending.errors import AmountAboveOwed, LoanNotFound
from apps.lending.models import Instalment, Repayment
from apps.lending.services import fund as fund_service
from apps.lending.services import repayments
from apps.payments import api as payments
from tests.identity.factories import UserFactory

from .repayment_helpers import active_loan, loan_balance, top_up, verified, wallet_balance

pytestmark = pytest.mark.django_db


@pytest.fixture
def borrower():
    return verified(UserFactory())


def _first(loan):
    return Instalment.objects.filter(loan=loan).order_by("number").first()


def sandbox_pay(client, intent_id):
    checkout = payments.start_payment(intent=intent_id, method="mobile_money", provider="sandbox")
    reference = checkout.url.rstrip("/").split("/")[-1]
    client.post(reverse("payments:sandbox", args=[reference]), {"decision": "approve"})


def test_a_pay_link_paid_by_momo_repays_the_loan(borrower, client, django_capture_on_commit_callbacks):
    loan = active_loan(borrower, principal=60_000, term=2, to_wallet=False)
    line = _first(loan)
    intent = repayments.repayment_link(actor=borrower, loan=loan, amount=line.total, idempotency_key="l1")
    again = repayments.repayment_link(actor=borrower, loan=loan, amount=line.total, idempotency_key="l1")
    assert again.public_id == intent.public_id and intent.fee_amount == 0
    with django_capture_on_commit_callbacks(execute=True):
        sandbox_pay(client, intent.public_id)
    repayment = Repayment.objects.get(loan=loan)
    assert repayment.channel == "momo" and repayment.intent == intent.public_id
    # nothing is due yet: all of it prepays the principal
    assert repayment.allocated == repayment.prepaid == repayment.principal == line.total
    loan.refresh_from_db()
    assert loan.outstanding == loan_balance(loan) == loan.principal - repayment.principal


def test_a_pay_link_paid_after_the_loan_closed_goes_to_the_wallet(
    borrower, client, django_capture_on_commit_callbacks
):
    loan = active_loan(borrower, principal=20_000, term=1)
    top_up(borrower, 5_000)
    payoff = repayments.payoff(loan)
    intent = repayments.repayment_link(actor=borrower, loan=loan, amount=payoff.total, idempotency_key="l2")
    repayments.repay_from_wallet(actor=borrower, loan=loan, amount=payoff.total, idempotency_key="w")
    loan.refresh_from_db()
    assert loan.status == "closed"
    before = wallet_balance(borrower)
    with django_capture_on_commit_callbacks(execute=True):
        sandbox_pay(client, intent.public_id)
    late = Repayment.objects.get(loan=loan, channel="momo")
    assert late.excess == payoff.total and late.allocated == 0
    assert wallet_balance(borrower) == before + payoff.total
    assert loan_balance(loan) == 0


def test_a_pay_link_is_the_borrowers_and_never_above_the_payoff(borrower):
    loan = active_loan(borrower, principal=20_000, term=2)
    with pytest.raises(LoanNotFound):
        repayments.repayment_link(actor=UserFactory(), loan=loan, idempotency_key="x")
    with pytest.raises(AmountAboveOwed):
        repayments.repayment_link(
            actor=borrower, loan=loan, amount=repayments.payoff(loan).total + 1, idempotency_key="y"
        )
    # no amount: nothing is due yet, so the next instalment
    intent = repayments.repayment_link(actor=borrower, loan=loan, idempotency_key="z")
    assert intent.amount == _first(loan).total


def test_repay_from_the_emergency_fund_takes_only_what_is_available(borrower):
    from apps.lending.errors import FundNotEnough

    loan = active_loan(borrower, principal=40_000, term=2)
    savings = fund_service.open_fund(actor=borrower, currency="XOF", goal=100_000)
    fund_service.deposit(actor=borrower, fund=savings, amount=30_000, idempotency_key="d")
    line = _first(loan)
    repayment = repayments.repay_from_fund(
        actor=borrower, loan=loan, amount=line.total, idempotency_key="f", today=line.due_date
    )
    assert repayment.channel == "fund" and repayment.allocated == line.total
    assert fund_service.available(fund_service.fund_of(borrower)) == 30_000 - line.total
    with pytest.raises(FundNotEnough):
        repayments.repay_from_fund(
            actor=borrower, loan=loan, amount=15_000, idempotency_key="g", today=line.due_date
        )
    loan.refresh_from_db()
    assert loan.outstanding == loan_balance(loan) == loan.principal - line.principal
    assert Repayment.objects.filter(loan=loan).count() == 1
    with pytest.raises(LoanNotFound):
        repayments.repay_from_fund(actor=UserFactory(), loan=loan, amount=1, idempotency_key="h")


def test_the_borrower_is_told_of_each_repayment_and_of_the_close(
    borrower, django_capture_on_commit_callbacks
):
    from apps.notifications.models import Message

    loan = active_loan(borrower, principal=20_000, term=2)
    top_up(borrower, 5_000)
    with django_capture_on_commit_callbacks(execute=True):
        repayments.repay_from_wallet(actor=borrower, loan=loan, amount=5_000, idempotency_key="a")
    sms = Message.objects.get(user=borrower, template_key="lending.repayment_received", channel="sms")
    assert loan.number in sms.body and "Reste à payer" in sms.body
    with django_capture_on_commit_callbacks(execute=True):
        repayments.repay_from_wallet(
            actor=borrower, loan=loan, amount=repayments.payoff(loan).total, idempotency_key="b"
        )
    assert (
        Message.objects.filter(user=borrower, template_key="lending.loan_repaid", channel="sms").count() == 1
    )
