"""The credit staff's delinquency pages in the admin: the portfolio at risk and the loan book
export (finance or compliance), restructuring and write-off with a reason (write-off:
finance only)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.lending.models import Restructuring, WriteOff
from apps.lending.services.delinquency import nightly_run
from tests.identity.factories import UserFactory
from tests.wallet.test_safeguarding import admin_client

pytestmark = pytest.mark.django_db


def test_par_page_and_the_loan_book(book_loan):
    today = timezone.localdate()
    book_loan(principal=100_000, term=2, first_due=today - timedelta(days=40))
    nightly_run(today=today)
    client = admin_client(UserFactory(is_staff=True, staff_role="compliance"))
    page = client.get("/admin/lending/agingsnapshot/par/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "PAR30" in body and "XOF" in body
    export = client.get("/admin/lending/agingsnapshot/book.csv")
    assert export.status_code == 200
    lines = b"".join(export.streaming_content).decode().splitlines()
    assert lines[0].startswith("number,product") and len(lines) == 2


def test_restructure_and_write_off_pages(book_loan):
    today = timezone.localdate()
    loan = book_loan(principal=90_000, term=3, first_due=today - timedelta(days=10))
    other = book_loan(principal=50_000, term=2, first_due=today - timedelta(days=100))
    nightly_run(today=today)

    compliance = admin_client(UserFactory(is_staff=True, staff_role="compliance"))
    response = compliance.post(
        "/admin/lending/restructuring/new/",
        {
            "loan": loan.number,
            "term": 6,
            "first_due_date": (today + timedelta(days=20)).isoformat(),
            "reason": "Maladie",
        },
    )
    assert response.status_code == 302
    assert Restructuring.objects.get(loan=loan).term == 6
    # compliance may not write off
    assert compliance.get("/admin/lending/writeoff/new/").status_code == 403

    finance = admin_client(UserFactory(is_staff=True, staff_role="finance"))
    refused = finance.post("/admin/lending/writeoff/new/", {"loan": other.number, "reason": "Parti"})
    assert refused.status_code == 200 and not WriteOff.objects.exists()  # the confirmation is required
    done = finance.post(
        "/admin/lending/writeoff/new/", {"loan": other.number, "reason": "Parti", "confirm": "on"}
    )
    assert done.status_code == 302
    other.refresh_from_db()
    assert other.status == "written_off" and WriteOff.objects.get(loan=other).reason == "Parti"
    assert finance.get("/admin/lending/writeoff/").status_code == 200
