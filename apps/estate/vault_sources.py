"""How the vault (cms) opens estate's documents, drawn as the manager's and tenant's pages draw
them: a quittance from its frozen snapshot, a lease, an avis d'échéance (its due as it stands:
what is still owed), a relevé de gérance (a closed one as closed). Registered from
EstateConfig.ready(); a voided quittance is gone (None: the vault answers 410)."""

from __future__ import annotations

from apps.cms import api as cms
from apps.cms.contracts import OpenedDocument

from .documents import lease_pdf, notice_pdf, quittance_pdf, statement_pdf
from .models import Lease, OwnerStatement, Quittance, RentDue
from .vault import LEASE_SOURCE, NOTICE_SOURCE, QUITTANCE_SOURCE, STATEMENT_SOURCE


def open_quittance(source_id: str) -> OpenedDocument | None:
    quittance = Quittance.objects.filter(public_id=source_id, voided_at=None).first()
    if quittance is None:
        return None
    return OpenedDocument(quittance_pdf(quittance), "application/pdf", f"quittance-{quittance.number}.pdf")


def open_lease(source_id: str) -> OpenedDocument | None:
    lease = Lease.objects.filter(public_id=source_id).first()
    if lease is None:
        return None
    return OpenedDocument(lease_pdf(lease), "application/pdf", f"{lease.reference}.pdf")


def open_notice(source_id: str) -> OpenedDocument | None:
    due = RentDue.objects.filter(public_id=source_id).first()
    if due is None:
        return None
    return OpenedDocument(notice_pdf(due), "application/pdf", f"avis-{due.reference}.pdf")


def open_statement(source_id: str) -> OpenedDocument | None:
    statement = OwnerStatement.objects.filter(public_id=source_id).first()
    if statement is None:
        return None
    return OpenedDocument(statement_pdf(statement), "application/pdf", f"releve-{statement.period:%Y-%m}.pdf")


def register() -> None:
    cms.register_document_source(QUITTANCE_SOURCE, open_quittance)
    cms.register_document_source(LEASE_SOURCE, open_lease)
    cms.register_document_source(NOTICE_SOURCE, open_notice)
    cms.register_document_source(STATEMENT_SOURCE, open_statement)
