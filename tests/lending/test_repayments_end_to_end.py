"""The first « Done when » of issue 21, end to end through the services: a tenant with a
good rent score applies for an « Avance loyer », it is approved by the rules, accepted with
the SMS code, pays this month's rent due straight to the landlord, and is then repaid from
the wallet — the instalment's interest billed on its due date by the nightly billing, the
daily auto-debit taking it, the rest paid off by the borrower — until the loan is closed, its
ledger account at zero and every franc accounted for."""

from __future__ import annotations

from datetime import timedelta

import pytest

from apps.core.models import OutboxEvent
from apps.ledger import api as ledger
from apps.ledger import verify
from apps.lending.contracts import LoanStatus
from apps.lending.models import Loan, Repayment
from apps.lending.services import acceptance, accounting, accounts, applications, repayments
from apps.wallet import api as wallet

from .repayment_helpers import top_up

pytestmark = pytest.mark.django_db


def test_a_good_tenant_gets_an_avance_loyer_that_pays_the_rent_then_repays_it_from_the_wallet(
    lending_world, lending_otp, django_capture_on_commit_callbacks
):
    tenant = lending_world.tenant
    loan = applications.apply(
        actor=tenant,
        product=lending_world.rent,
        amount=100_000,
        term=3,
        purpose="Loyer du mois",
        destination_ref="",
        idempotency_key="e2e",
    )
    assert loan.status == LoanStatus.APPROVED, loan.decision_reasons
    with django_capture_on_commit_callbacks(execute=True):  # estate settles the due on payment
        loan = acceptance.accept(actor=tenant, loan=loan, step_up_token=lending_otp(tenant, loan))
    assert loan.status == LoanStatus.ACTIVE
    due = lending_world.lease.dues.get(public_id=loan.destination_ref)
    assert due.status == "paid"  # the advance paid the landlord

    lines = list(loan.instalments.order_by("number"))
    first = lines[0]
    # the wallet has what the due left; a top-up brings the rest of the instalments
    top_up(tenant, 90_000)

    # the first due date: the nightly billing, then the daily auto-debit from the wallet
    billed = accounting.bill_due(first.due_date)
    assert billed.instalments == 1
    loan.refresh_from_db()
    assert loan.interest_outstanding == first.interest
    assert ledger.balance(account=loan.account).posted == loan.outstanding == 100_000 + first.interest
    result = repayments.autodebit_due(first.due_date)
    assert result.repaid == 1 and result.amount == first.total
    first.refresh_from_db()
    assert first.status == "paid"
    paid = OutboxEvent.objects.get(name="lending.InstalmentPaid")
    assert paid.payload["days_late"] == 0 and paid.payload["amount"] == first.total

    # ten days later the tenant pays the rest off from the wallet
    today = first.due_date + timedelta(days=10)
    quote = repayments.payoff(loan, today)
    assert quote.principal == 100_000 - first.principal and quote.interest > 0
    repayments.repay_from_wallet(
        actor=tenant, loan=loan, amount=quote.total, idempotency_key="payoff", today=today
    )

    loan = Loan.objects.get(pk=loan.pk)
    assert loan.status == LoanStatus.CLOSED and loan.outstanding == 0
    assert ledger.balance(account=loan.account).posted == 0
    assert [r.channel for r in Repayment.objects.filter(loan=loan).order_by("created_at")] == [
        "wallet",
        "wallet",
    ]
    # what the loan earned: the first period's interest, the second's accrued to the day, the fee
    income = ledger.balance(account=accounts.system("lending.interest_income", "XOF")).posted
    assert income == first.interest + quote.interest
    assert OutboxEvent.objects.get(name="lending.LoanClosed").payload["prepaid"] is True
    assert wallet.wallet_info(tenant, "XOF").balance >= 0
    assert verify.run().ok


def test_the_demo_repays_the_demo_advance_from_the_wallet_once():
    from apps.lending import demo
    from tests.identity.factories import UserFactory

    from .repayment_helpers import active_loan, verified

    borrower = verified(UserFactory())
    loan = active_loan(borrower, principal=80_000, term=3, to_wallet=False)
    Loan.objects.filter(pk=loan.pk).update(idempotency_key="demo:lifecycle")
    ctx: dict = {}
    demo._seed_repayments(ctx)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.CLOSED and ledger.balance(account=loan.account).posted == 0
    assert ctx["lending_repaid"] == loan.number
    demo._seed_repayments(ctx)  # idempotent: nothing more
    assert Repayment.objects.filter(loan=loan).count() == 1
