"""The demo's loan: the best-scored tenant with an open rent due gets an « Avance loyer » for
exactly that due, accepted and disbursed (the due paid); a second run changes nothing."""

import pytest

from apps.core.management.commands.seed_demo import DemoContext
from apps.estate.models import RentDue
from apps.lending import demo
from apps.lending.contracts import LoanStatus
from apps.lending.models import Loan
from tests.lending.conftest import good_tenant

pytestmark = pytest.mark.django_db


def test_the_demo_tenant_gets_an_advance_that_pays_their_rent(django_capture_on_commit_callbacks):
    tenant, lease, _manager = good_tenant()
    ctx = DemoContext()
    demo._seed_products(ctx)
    with django_capture_on_commit_callbacks(execute=True):
        demo._seed_lifecycle(ctx)
    loan = Loan.objects.get(idempotency_key="demo:lifecycle")
    assert loan.borrower == tenant and loan.product.code == demo.RENT_ADVANCE
    assert loan.status == LoanStatus.ACTIVE and loan.key_facts["principal"] == loan.principal
    due = RentDue.objects.get(public_id=loan.destination_ref)
    assert due.lease == lease and due.paid == due.total
    assert loan.disbursement.to_due == due.total
    assert ctx["lending_loan"] == loan.number
    demo._seed_lifecycle(DemoContext())
    assert Loan.objects.count() == 1
