"""Credit staff read the repayments and the billed instalments in the admin (read-only: no
add, change or delete)."""

from __future__ import annotations

import pytest

from apps.lending.models import Instalment, InstalmentBilling, Repayment
from apps.lending.services import repayments
from tests.identity.factories import UserFactory
from tests.wallet.test_safeguarding import admin_client

from .repayment_helpers import active_loan, verified

pytestmark = pytest.mark.django_db


def test_staff_read_repayments_and_billings_read_only():
    borrower = verified(UserFactory())
    loan = active_loan(borrower, principal=30_000, term=2)
    line = Instalment.objects.filter(loan=loan).order_by("number").first()
    repayment = repayments.repay(
        loan=loan, amount=line.total, channel="wallet", idempotency_key="a", today=line.due_date
    )
    billing = InstalmentBilling.objects.get(loan=loan)
    client = admin_client(UserFactory(is_staff=True, staff_role="compliance"))
    listing = client.get("/admin/lending/repayment/")
    assert listing.status_code == 200 and loan.number in listing.content.decode()
    assert client.get(f"/admin/lending/repayment/{repayment.pk}/change/").status_code == 200
    assert client.get("/admin/lending/instalmentbilling/").status_code == 200
    assert client.get(f"/admin/lending/instalmentbilling/{billing.pk}/change/").status_code == 200
    assert client.get("/admin/lending/repayment/add/").status_code == 403
    client.post(f"/admin/lending/repayment/{repayment.pk}/delete/", {"post": "yes"})
    assert Repayment.objects.filter(pk=repayment.pk).exists()
