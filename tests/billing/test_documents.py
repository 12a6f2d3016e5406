"""The invoice and credit-note PDFs: French, both parties' IFU and RCCM, TVA per line and in
total, the number, the pay link; stored once at finalization."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.conf import settings
from pypdf import PdfReader

from apps.billing import documents
from apps.billing.contracts import CreditNoteReason, InvoiceKind, LineKind, LineSpec
from apps.billing.models import Invoice
from apps.billing.services import invoices as core

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    """The text without any kind of space (amounts are grouped with no-break spaces)."""
    return re.sub(r"\s+", "", text)


def _invoice(customer, key="doc-1"):
    customer.address = "Lot 12, Haie Vive, Cotonou"
    customer.save()
    invoice = core.draft(
        customer=customer,
        kind=InvoiceKind.SUBSCRIPTION,
        origin_key=key,
        period_start=date(2026, 12, 1),
        period_end=date(2026, 12, 31),
        lines=[
            LineSpec(kind=LineKind.RECURRING, description="Abonnement Agence", amount=15_000),
            LineSpec(
                kind=LineKind.USAGE,
                description="SMS envoyés",
                amount=2_500,
                quantity=50,
                unit_amount=50,
                metric="sms",
            ),
            LineSpec(kind=LineKind.DISCOUNT, description="Coupon BIENVENUE", amount=-1_000),
        ],
    )
    return core.finalize(invoice, today=TODAY)


def test_the_invoice_pdf_carries_both_parties_the_number_and_the_tva(billing_customer):
    invoice = _invoice(billing_customer)
    seller = settings.BILLING_SELLER["BJ"]
    text = pdf_text(documents.invoice_pdf(invoice))
    compact = flat(text)
    assert "Facture" in text and invoice.number in compact
    # both parties' IFU and RCCM, as frozen on the invoice
    assert flat(seller["tax_id"]) in compact and flat(seller["rccm"]) in compact
    assert "3201900000123" in compact and flat("RB/COT/19 B 12345") in compact
    assert flat(seller["name"]) in compact and "AgenceA" in compact
    # TVA per line (18 %: 2 700, 450, −180) and in total (2 970), the totals
    assert [line.tax for line in invoice.lines.all()] == [2_700, 450, -180]
    for amount in ("2700FCFA", "450FCFA", "-180FCFA", "2970FCFA", "17500FCFA", "19470FCFA"):
        assert amount in compact.replace("−", "-"), amount
    assert "18%" in compact
    # the period, the dates, the amount in words, the pay link
    assert "1décembre2026" in compact and "8décembre2026" in compact
    assert flat("dix-neuf mille quatre cent soixante-dix francs CFA") in compact
    assert "/pay/" in compact


def test_the_pdf_prints_what_was_frozen_at_finalization(billing_customer):
    invoice = _invoice(billing_customer)
    billing_customer.tax_id = "9999999999999"
    billing_customer.save()
    compact = flat(pdf_text(documents.invoice_pdf(invoice)))
    assert "3201900000123" in compact and "9999999999999" not in compact


def test_the_credit_note_pdf(billing_customer):
    invoice = _invoice(billing_customer)
    note = core.credit(
        invoice,
        lines=[LineSpec(kind=LineKind.OTHER, description="Geste commercial", amount=1_000)],
        reason=CreditNoteReason.GOODWILL,
        origin_key="goodwill-1",
        today=TODAY,
    )
    text = pdf_text(documents.credit_note_pdf(note))
    compact = flat(text)
    assert "Facture d'avoir" in text or "Factured'avoir" in compact
    assert note.number in compact and invoice.number in compact
    assert "3201900000123" in compact and flat(settings.BILLING_SELLER["BJ"]["tax_id"]) in compact
    assert "180FCFA" in compact and "1180FCFA" in compact  # TVA and total of the credit


def test_the_pdf_is_stored_when_the_invoice_is_finalized(
    billing_customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = _invoice(billing_customer)
    invoice = Invoice.objects.get(pk=invoice.pk)
    assert invoice.pdf.name.endswith(".pdf")
    stored = documents.stored_invoice_pdf(invoice)
    with invoice.pdf.open("rb") as f:
        assert f.read() == stored
    assert invoice.number in flat(pdf_text(stored))


def test_a_missing_pdf_is_made_and_stored_on_first_download(billing_customer):
    invoice = _invoice(billing_customer)  # no commit: the handler did not run
    assert not Invoice.objects.get(pk=invoice.pk).pdf
    content = documents.stored_invoice_pdf(invoice)
    assert Invoice.objects.get(pk=invoice.pk).pdf
    assert documents.stored_invoice_pdf(invoice) == content


def test_a_paid_invoice_is_drawn_again_with_its_status(billing_customer):
    invoice = _invoice(billing_customer)
    documents.stored_invoice_pdf(invoice)
    core.mark_paid(invoice, amount=invoice.amount_due, method="manual")
    text = pdf_text(documents.stored_invoice_pdf(invoice))
    assert "Payée" in text and "/pay/" not in flat(text)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "zéro"),
        (21, "vingt et un"),
        (71, "soixante et onze"),
        (80, "quatre-vingts"),
        (91, "quatre-vingt-onze"),
        (200, "deux cents"),
        (280_000, "deux cent quatre-vingt mille"),
        (1_000, "mille"),
        (118_000, "cent dix-huit mille"),
        (1_180_000, "un million cent quatre-vingt mille"),
        (2_000_017, "deux millions dix-sept"),
    ],
)
def test_amount_in_words(amount, words):
    assert documents.amount_in_words(amount) == words


def test_production_refuses_the_placeholder_seller_identity():
    from apps.billing import conf

    shipped = {"BILLING_SELLER": settings.BILLING_SELLER}
    problems = conf.production_problems(shipped)
    assert any(p.startswith("BILLING_SELLER_BJ_IFU is a placeholder") for p in problems)
    assert any(p.startswith("BILLING_SELLER_BJ_RCCM is a placeholder") for p in problems)
    real = {
        "BJ": {"tax_id": "3202612345678", "rccm": "RB/COT/26 B 12345"},
        "CI": {"tax_id": "2612345 K", "rccm": "CI-ABJ-2026-B-12345"},
    }
    assert not [p for p in conf.production_problems({"BILLING_SELLER": real}) if "SELLER" in p]
