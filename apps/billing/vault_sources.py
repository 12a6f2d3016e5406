"""How the vault (cms) opens billing's invoices: the stored PDF as issued
(documents.stored_invoice_pdf). Registered from BillingConfig.ready()."""

from __future__ import annotations

from apps.cms import api as cms
from apps.cms.contracts import OpenedDocument

from .documents import stored_invoice_pdf
from .models import Invoice
from .vault import INVOICE_SOURCE


def open_invoice(source_id: str) -> OpenedDocument | None:
    invoice = Invoice.objects.filter(public_id=source_id).exclude(number="").first()
    if invoice is None:
        return None
    return OpenedDocument(stored_invoice_pdf(invoice), "application/pdf", f"facture-{invoice.number}.pdf")


def register() -> None:
    cms.register_document_source(INVOICE_SOURCE, open_invoice)
