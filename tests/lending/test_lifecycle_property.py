"""The loan's statuses under any sequence of what the borrower, the staff and the beat may do:
every change is one the state machine allows, a refused action changes nothing, a loan is
disbursed at most once and, once active, its ledger account equals what is owed and its
instalments make the principal. Two applications sent at once leave one open loan."""

import threading

import pytest
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from apps.core.errors import DomainError
from apps.ledger import api as ledger
from apps.lending.contracts import OPEN_STATUSES, LoanStatus
from apps.lending.errors import OpenLoanExists
from apps.lending.models import Disbursement, Loan
from apps.lending.services import acceptance, applications, disbursement
from apps.wallet import api as wallet
from tests.identity.factories import UserFactory
from tests.lending.conftest import good_tenant, lifecycle_product

ACTIONS = ("accept", "accept_wrong_code", "withdraw", "expire", "disburse", "approve", "decline")


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(review=st.booleans(), actions=st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=6))
def test_any_sequence_keeps_the_state_machine_and_disburses_once(
    lending_world, lending_otp, settings, review, actions
):
    settings.OTP_MAX_SENDS_PER_PHONE_PER_HOUR = 10_000  # many codes to one phone in one test
    tenant = lending_world.tenant
    staff = UserFactory(is_staff=True, staff_role="compliance")
    count = Loan.objects.count()
    product = lifecycle_product(
        f"prop-{count}",
        destination="wallet",
        # a band above the tenant's with a grey band under it: the application waits for staff
        min_score_band="excellent" if review else "fair",
        review_band="poor",
        upfront_fee_bps=0,
    )
    loan = applications.apply(
        actor=tenant, product=product, amount=40_000, term=2, idempotency_key=f"prop-{count}"
    )
    wallet_before = wallet.wallet_info(tenant, "XOF").balance
    for action in actions:
        before = Loan.objects.get(pk=loan.pk).status
        try:
            if action == "accept":
                token = lending_otp(tenant, loan) if before == LoanStatus.APPROVED else None
                acceptance.accept(actor=tenant, loan=loan, step_up_token=token)
            elif action == "accept_wrong_code":
                token = lending_otp(tenant, loan, amount=1) if before == LoanStatus.APPROVED else None
                acceptance.accept(actor=tenant, loan=loan, step_up_token=token)
            elif action == "withdraw":
                applications.withdraw(actor=tenant, loan=loan)
            elif action == "expire":
                row = Loan.objects.get(pk=loan.pk)
                if row.offer_expires_at:
                    applications.expire_offers(now=row.offer_expires_at)
            elif action == "disburse":
                disbursement.disburse(loan)
            else:
                applications.decide_manually(
                    actor=staff, loan=loan, approve=action == "approve", reason="test"
                )
        except DomainError:
            assert Loan.objects.get(pk=loan.pk).status == before or before == LoanStatus.ACCEPTED
        after = Loan.objects.get(pk=loan.pk)
        assert (
            after.status == before
            or applications.LOAN_STATES.can(before, after.status)
            or (
                before == LoanStatus.APPROVED and after.status == LoanStatus.ACTIVE  # accepted, then paid out
            )
        ), (before, action, after.status)
        if action == "accept_wrong_code":
            assert after.status == before
    row = Loan.objects.get(pk=loan.pk)
    paid_out = wallet.wallet_info(tenant, "XOF").balance - wallet_before
    assert Disbursement.objects.filter(loan=row).count() <= 1
    if row.status == LoanStatus.ACTIVE:
        assert paid_out == 40_000 - row.upfront_fee
        assert ledger.balance(account=row.account).posted == row.principal_outstanding == 40_000
        assert sum(i.principal for i in row.instalments.all()) == 40_000
        assert row.instalments.count() == 2
    else:
        assert paid_out == 0 and not row.instalments.exists()


@pytest.mark.django_db(transaction=True)
def test_two_applications_at_once_leave_one_open_loan():
    tenant, _lease, _manager = good_tenant()
    product = lifecycle_product("race", destination="wallet", upfront_fee_bps=0)
    barrier = threading.Barrier(2)
    results, refused = [], []

    def send(key):
        try:
            barrier.wait(timeout=30)
            results.append(
                applications.apply(actor=tenant, product=product, amount=30_000, term=2, idempotency_key=key)
            )
        except OpenLoanExists as exc:
            refused.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(f"race-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 1 and len(refused) == 1
    assert Loan.objects.filter(product=product, borrower=tenant, status__in=OPEN_STATUSES).count() == 1
