"""Estate's documents in HokweDoc (cms's vault): each quittance is filed, by reference, in
the vault of the organization that issued it and of each tenant of the lease when it is
issued (services call this file); the vault opens it through vault_sources.open_quittance,
registered from EstateConfig.ready()."""

from __future__ import annotations

from apps.cms import api as cms
from apps.cms.contracts import DocumentKind

QUITTANCE_SOURCE = "estate.quittance"


def file_quittance(quittance, *, tenant_user_ids) -> None:
    """File a quittance (inside the transaction that issued it)."""
    s = quittance.snapshot
    receipt = s.get("kind") in ("rent", "opening")
    cms.file_generated_document(
        kind=DocumentKind.QUITTANCE if receipt else DocumentKind.OTHER,
        title=f"{'Quittance' if receipt else 'Reçu'} {s.get('period_label', '')} · {s.get('unit', '')}".strip(),
        source=QUITTANCE_SOURCE,
        source_id=str(quittance.public_id),
        organization_id=quittance.organization_id,
        user_ids=tenant_user_ids,
        metadata={
            "number": quittance.number,
            "code": quittance.code,
            "period": s.get("period", ""),
            "lease": s.get("lease", ""),
            "property": s.get("property", ""),
            "unit": s.get("unit", ""),
            "tenants": s.get("tenants", []),
            "total": s.get("total"),
            "currency": s.get("currency", ""),
        },
    )


def withdraw_quittances_of_due(due) -> None:
    """The due's live quittance is about to be voided (refund, renewal): it leaves the vaults."""
    from .models import Quittance

    for public_id in Quittance.objects.filter(due=due, voided_at__isnull=True).values_list(
        "public_id", flat=True
    ):
        cms.withdraw_generated_document(source=QUITTANCE_SOURCE, source_id=str(public_id))
