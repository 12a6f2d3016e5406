"""Pledged savings: a ledger hold on the emergency fund, released in proportion to the
principal repaid, all of it at closure or when the loan is never disbursed."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.ledger import api as ledger
from apps.lending.errors import FundNotEnough, PledgeNotCovered
from apps.lending.models import Pledge
from apps.lending.services import fund as fund_service
from apps.lending.services import pledges

pytestmark = pytest.mark.django_db


def _available(fund):
    return ledger.balance(account=fund.account).available


def test_required_pledge_rounds_up(fund_saver, fund_loan):
    user, _fund = fund_saver
    assert pledges.required_pledge(fund_loan(user, principal=100_001, pledge_bps=2500)) == 25_001
    assert pledges.required_pledge(fund_loan(user, principal=100_000, pledge_bps=0)) == 0


def test_the_pledge_is_a_hold_the_saver_cannot_withdraw(fund_saver, fund_loan):
    user, fund = fund_saver
    loan = fund_loan(user, principal=100_000, pledge_bps=3000)
    [pledge] = pledges.hold_for_acceptance(loan)
    assert pledge.amount == 30_000 and pledge.held == 30_000
    assert ledger.hold_state(hold=pledge.hold) == "pending"
    assert _available(fund) == 20_000 and ledger.balance(account=fund.account).posted == 50_000
    info = fund_service.fund_info(fund)
    assert info.pledged == 30_000 and info.available == 20_000
    with pytest.raises(FundNotEnough):
        fund_service.withdraw(actor=user, fund=fund, amount=20_001, idempotency_key="w")
    # again: the same pledge, nothing more held
    assert pledges.hold_for_acceptance(loan) == [pledge]
    assert _available(fund) == 20_000


def test_a_fund_too_small_is_refused_and_nothing_held(fund_saver, fund_loan):
    user, fund = fund_saver
    loan = fund_loan(user, principal=200_000, pledge_bps=3000)  # 60 000 > 50 000
    with pytest.raises(PledgeNotCovered):
        pledges.hold_for_acceptance(loan)
    assert Pledge.objects.count() == 0 and _available(fund) == 50_000


def test_release_follows_the_principal_repaid_then_all_at_closure(fund_saver, fund_loan):
    user, fund = fund_saver
    loan = fund_loan(user, principal=100_000, pledge_bps=4000)
    [pledge] = pledges.hold_for_acceptance(loan)
    loan.status, loan.principal_outstanding = "active", 100_000
    loan.save()
    assert pledges.on_repaid(loan) == 0
    loan.principal_outstanding = 75_000
    loan.save()
    assert pledges.on_repaid(loan) == 10_000
    assert pledges.on_repaid(loan) == 0  # idempotent: the state decides
    pledge.refresh_from_db()
    assert pledge.released == 10_000 and pledge.held == 30_000 and pledge.hold_seq == 2
    assert _available(fund) == 50_000 - 30_000
    loan.status, loan.principal_outstanding = "closed", 0
    loan.save()
    assert pledges.on_repaid(loan) == 30_000
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.RELEASED and pledge.hold is None
    assert _available(fund) == 50_000


def test_a_withdrawn_application_releases_everything(fund_saver, fund_loan):
    user, fund = fund_saver
    loan = fund_loan(user, principal=100_000, pledge_bps=1000)
    pledges.hold_for_acceptance(loan)
    loan.status = "withdrawn"
    loan.save()
    assert pledges.on_repaid(loan) == 10_000
    assert _available(fund) == 50_000


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    principal=st.integers(min_value=1_000, max_value=500_000),
    bps=st.integers(min_value=1, max_value=5_000),
    repaid=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=6),
)
def test_property_the_hold_never_falls_below_the_share_still_owed(fund_topup, principal, bps, repaid):
    from apps.lending.models import Loan, LoanProduct
    from apps.lending.services import fund as service
    from tests.identity.factories import UserFactory

    user = UserFactory()
    pledge_amount = -(-principal * bps // 10_000)
    fund_topup(user, pledge_amount)
    fund = service.open_fund(actor=user)
    service.deposit(actor=user, fund=fund, amount=pledge_amount, idempotency_key="all")
    product = LoanProduct.objects.create(
        code=f"p{principal}-{bps}-{len(repaid)}-{user.pk}",
        name="x",
        borrower_kind="tenant",
        destination="wallet",
        min_amount=1,
        max_amount=10**9,
        frequency="monthly",
        interest_method="flat",
        amortization="equal_principal",
        annual_rate_bps=0,
        pledge_bps=bps,
    )
    loan = Loan.objects.create(
        number=f"T-{user.pk}",
        product=product,
        borrower=user,
        borrower_kind="tenant",
        status="approved",
        currency="XOF",
        principal=principal,
        term=1,
        frequency="monthly",
        interest_method="flat",
        amortization="equal_principal",
        annual_rate_bps=0,
    )
    [pledge] = pledges.hold_for_acceptance(loan)
    loan.status, loan.principal_outstanding = "active", principal
    outstanding = principal
    for part in repaid:
        outstanding = max(outstanding - part * principal // 10_000, 0)
        loan.principal_outstanding = outstanding
        pledges.on_repaid(loan)
        pledge.refresh_from_db()
        still_owed_share = -(-pledge.amount * outstanding // principal)
        assert pledge.held >= still_owed_share - 1
        assert pledge.held == pledge.amount - pledge.amount * (principal - outstanding) // principal
        assert ledger.balance(account=fund.account).available == pledge.amount - pledge.held
