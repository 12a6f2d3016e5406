"""How the vault (cms) opens recovery's formal notices (documents.formal_notice_pdf).
Registered from RecoveryConfig.ready()."""

from __future__ import annotations

from apps.cms import api as cms
from apps.cms.contracts import OpenedDocument

from .documents import formal_notice_pdf
from .models import FormalNotice
from .vault import FORMAL_NOTICE_SOURCE


def open_formal_notice(source_id: str) -> OpenedDocument | None:
    notice = FormalNotice.objects.filter(public_id=source_id).first()
    if notice is None:
        return None
    content = formal_notice_pdf(notice, language=notice.language or "fr")
    return OpenedDocument(content, "application/pdf", f"mise-en-demeure-{notice.number}.pdf")


def register() -> None:
    cms.register_document_source(FORMAL_NOTICE_SOURCE, open_formal_notice)
