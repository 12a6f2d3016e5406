"""How the vault (cms) opens estate's documents: a quittance is drawn from its frozen snapshot,
as the tenant space does (documents.quittance_pdf). Registered from EstateConfig.ready();
a voided quittance is gone (None: the vault answers 410)."""

from __future__ import annotations

from apps.cms import api as cms
from apps.cms.contracts import OpenedDocument

from .documents import quittance_pdf
from .models import Quittance
from .vault import QUITTANCE_SOURCE


def open_quittance(source_id: str) -> OpenedDocument | None:
    quittance = Quittance.objects.filter(public_id=source_id, voided_at=None).first()
    if quittance is None:
        return None
    return OpenedDocument(quittance_pdf(quittance), "application/pdf", f"quittance-{quittance.number}.pdf")


def register() -> None:
    cms.register_document_source(QUITTANCE_SOURCE, open_quittance)
