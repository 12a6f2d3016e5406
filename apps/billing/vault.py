"""Billing's documents in HokweDoc (cms's vault): each finalized invoice is filed, by
reference, in the vault of the organization it bills (services/invoices.finalize calls this);
the vault opens it through vault_sources.open_invoice (the stored PDF, as issued)."""

from __future__ import annotations

from apps.cms import api as cms
from apps.cms.contracts import DocumentKind

INVOICE_SOURCE = "billing.invoice"


def file_invoice(invoice, *, organization_id: int) -> None:
    cms.file_generated_document(
        kind=DocumentKind.INVOICE,
        title=f"Facture Hokwe {invoice.number}",
        source=INVOICE_SOURCE,
        source_id=str(invoice.public_id),
        organization_id=organization_id,
        metadata={
            "number": invoice.number,
            "issued_on": invoice.issued_on.isoformat() if invoice.issued_on else "",
            "total": invoice.total,
            "currency": invoice.currency,
        },
    )
