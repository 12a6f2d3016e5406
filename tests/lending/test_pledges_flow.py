"""Pledged savings with the real repayments and write-off: a repayment from the wallet
releases the pledge in proportion to the principal repaid; a write-off first takes what is
still pledged for the loan (the allocation order applies), then writes off the rest."""

from datetime import date, timedelta

import pytest

from apps.ledger import api as ledger
from apps.lending.models import Pledge
from apps.lending.services import fund as fund_service
from apps.lending.services import pledges
from apps.lending.services.delinquency import nightly_run
from apps.lending.services.repayments import repay
from apps.lending.services.write_off import write_off
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = date.today()


def _saver(fund_topup, amount):
    user = UserFactory()
    fund_topup(user, amount + 200_000)
    fund = fund_service.open_fund(actor=user)
    fund_service.deposit(actor=user, fund=fund, amount=amount, idempotency_key="pledge-flow")
    return user, fund


def test_a_repayment_releases_the_pledge_in_proportion(fund_topup, book_loan):
    user, fund = _saver(fund_topup, 60_000)
    loan = book_loan(principal=100_000, term=2, borrower=user, pledge_bps=5_000, first_due=TODAY)
    [pledge] = pledges.hold_for_acceptance(loan)
    assert pledge.amount == 50_000 and ledger.balance(account=fund.account).available == 10_000
    nightly_run(today=TODAY)
    loan.refresh_from_db()
    first = loan.instalments.order_by("number").first()
    repay(loan=loan, amount=first.total, channel="wallet", idempotency_key="i1", today=TODAY)
    loan.refresh_from_db()
    pledge.refresh_from_db()
    repaid = loan.principal - loan.principal_outstanding
    assert repaid == first.principal
    assert pledge.released == 50_000 * repaid // 100_000
    assert ledger.balance(account=fund.account).available == 10_000 + pledge.released


def test_a_write_off_takes_the_pledge_first(fund_topup, book_loan):
    staff = UserFactory(is_staff=True)
    user, fund = _saver(fund_topup, 30_000)
    loan = book_loan(
        principal=80_000, term=2, borrower=user, pledge_bps=3_000, first_due=TODAY - timedelta(days=100)
    )
    [pledge] = pledges.hold_for_acceptance(loan)
    nightly_run(today=TODAY)
    loan.refresh_from_db()
    owed = loan.outstanding
    row = write_off(loan=loan, actor=staff, reason="Débiteur introuvable", today=TODAY)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.APPLIED and pledge.applied == 24_000 and pledge.hold is None
    assert row.amount == owed - 24_000
    assert ledger.balance(account=fund.account).posted == 30_000 - 24_000
    loan.refresh_from_db()
    assert loan.outstanding == 0 and ledger.balance(account=loan.account).posted == 0
