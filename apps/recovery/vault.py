"""Recovery's documents in HokweDoc (cms's vault): each mise en demeure is filed, by
reference, in the vault of the organization that issued it and of the tenant it is addressed
to (services/notices.formal_notice_issue calls this); the vault opens it through
vault_sources.open_formal_notice (drawn from the notice's row, as /recover/ does)."""

from __future__ import annotations

from apps.cms import api as cms
from apps.cms.contracts import DocumentKind

FORMAL_NOTICE_SOURCE = "recovery.formal_notice"


def file_formal_notice(notice, *, tenant_id: int | None) -> None:
    cms.file_generated_document(
        kind=DocumentKind.FORMAL_NOTICE,
        title=f"Mise en demeure {notice.number}",
        source=FORMAL_NOTICE_SOURCE,
        source_id=str(notice.public_id),
        organization_id=notice.organization_id,
        user_ids=[tenant_id] if tenant_id else [],
        metadata={
            "number": notice.number,
            "issued_on": notice.issued_on.isoformat(),
            "pay_by": notice.pay_by.isoformat(),
            "amount": notice.amount,
            "currency": notice.currency,
        },
    )
