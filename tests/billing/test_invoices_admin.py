"""The invoices admin: read by any staff, with the PDF; finance staff record a bank transfer,
issue a credit note and void after a confirmation page."""

from __future__ import annotations

from datetime import date

import pytest

from apps.billing.contracts import InvoiceKind, InvoiceStatus, LineKind, LineSpec
from apps.billing.services import invoices as core
from tests.identity.factories import UserFactory
from tests.wallet.test_safeguarding import admin_client

pytestmark = pytest.mark.django_db


def _invoice(customer, key):
    invoice = core.draft(
        customer=customer,
        kind=InvoiceKind.ONE_OFF,
        origin_key=key,
        lines=[LineSpec(kind=LineKind.RECURRING, description="Abonnement", amount=10_000)],
    )
    return core.finalize(invoice, today=date(2026, 12, 1))


def test_staff_read_invoices_and_download_the_pdf(billing_customer):
    invoice = _invoice(billing_customer, "adm-1")
    client = admin_client(UserFactory(is_staff=True, staff_role="support"))
    assert client.get("/admin/billing/invoice/").status_code == 200
    page = client.get(f"/admin/billing/invoice/{invoice.pk}/change/")
    assert page.status_code == 200 and invoice.number in page.content.decode()
    pdf = client.get(f"/admin/billing/invoice/{invoice.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # support staff do not record payments
    assert client.get(f"/admin/billing/invoice/{invoice.pk}/transfer/").status_code == 403


def test_finance_records_a_transfer_and_issues_a_credit_note(billing_customer):
    invoice = _invoice(billing_customer, "adm-2")
    client = admin_client(UserFactory(is_staff=True, staff_role="finance"))
    form = {"amount": 11_800, "paid_on": "2026-12-02", "expected_paid": 0, "confirm": "on"}
    answer = client.post(f"/admin/billing/invoice/{invoice.pk}/transfer/", form)
    assert answer.status_code == 302
    again = client.post(f"/admin/billing/invoice/{invoice.pk}/transfer/", form)
    assert again.status_code == 200  # the form sent twice: refused, shown again
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.amount_paid == 11_800
    credit = {"description": "Geste", "amount": 1_000, "reason": "goodwill", "note": "", "key": "k1"}
    assert client.post(f"/admin/billing/invoice/{invoice.pk}/credit/", credit).status_code == 302
    note = invoice.credit_notes.get()
    assert note.total == 1_180 and note.to_credits == 1_180
    pdf = client.get(f"/admin/billing/creditnote/{note.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_void_asks_for_confirmation_first(billing_customer):
    invoice = _invoice(billing_customer, "adm-3")
    client = admin_client(UserFactory(is_staff=True, staff_role="finance"))
    data = {"action": "void", "_selected_action": [invoice.pk]}
    page = client.post("/admin/billing/invoice/", data)
    assert page.status_code == 200 and invoice.number in page.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN
    client.post("/admin/billing/invoice/", {**data, "confirmed": "yes"})
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.VOID
