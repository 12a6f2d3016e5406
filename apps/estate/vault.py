"""Estate's documents in HokweDoc (cms's vault), filed by reference (never copied) when they
are made; the vault opens them through vault_sources (registered from EstateConfig.ready()):
- a quittance: in the issuing organization's vault and each tenant's (collections);
- a lease: the organization's and each tenant's, when it is signed (leases.lease_create);
- an avis d'échéance: the organization's and each tenant's, when the dues are issued
  (handlers.file_notices on RentDuesIssued, in bulk); a due a renewal takes back leaves them;
- a relevé de gérance: the managing organization's and the owner's, when it is closed
  (owners.statement_close)."""

from __future__ import annotations

from apps.cms import api as cms
from apps.cms.contracts import DocumentKind

QUITTANCE_SOURCE = "estate.quittance"
LEASE_SOURCE = "estate.lease"
NOTICE_SOURCE = "estate.notice"
STATEMENT_SOURCE = "estate.statement"


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


def file_lease(lease, *, tenant_user_ids) -> None:
    """File a signed lease (inside the transaction that made it)."""
    unit = lease.unit
    cms.file_generated_document(
        kind=DocumentKind.LEASE,
        title=f"Bail {lease.reference} · {unit.property.name}, {unit.label}",
        source=LEASE_SOURCE,
        source_id=str(lease.public_id),
        organization_id=lease.organization_id,
        user_ids=tenant_user_ids,
        metadata={
            "reference": lease.reference,
            "property": unit.property.name,
            "unit": unit.label,
            "start_date": lease.start_date.isoformat(),
            "rent": lease.rent,
            "currency": lease.currency,
        },
    )


def file_notices(dues) -> int:
    """File the avis d'échéance of issued dues (RentDue rows with lease__unit__property),
    in bulk: the organization's vault and each tenant's. Returns the new vault rows."""
    from .models import LeaseTenant
    from .services.dues import period_label

    dues = list(dues)
    tenants: dict[int, list[int]] = {}
    for lease_id, user_id in LeaseTenant.objects.filter(lease_id__in={d.lease_id for d in dues}).values_list(
        "lease_id", "user_id"
    ):
        tenants.setdefault(lease_id, []).append(user_id)
    items = []
    for due in dues:
        unit = due.lease.unit
        period = period_label(due.period, "fr")
        items.append(
            {
                "kind": DocumentKind.NOTICE,
                "title": f"Avis d'échéance {period} · {unit.property.name}, {unit.label}",
                "source": NOTICE_SOURCE,
                "source_id": str(due.public_id),
                "organization_id": due.organization_id,
                "user_ids": tenants.get(due.lease_id, []),
                "metadata": {
                    "reference": due.reference,
                    "period": due.period.isoformat(),
                    "due_date": due.due_date.isoformat(),
                    "property": unit.property.name,
                    "unit": unit.label,
                    "total": due.total,
                    "currency": due.currency,
                },
            }
        )
    return cms.file_generated_documents(items)


def withdraw_notices(due_public_ids) -> None:
    """Dues a renewal took back: their avis leave the vaults."""
    for public_id in due_public_ids:
        cms.withdraw_generated_document(source=NOTICE_SOURCE, source_id=str(public_id))


def file_statement(statement) -> None:
    """File a closed relevé de gérance (inside the closing transaction): in the managing
    organization's vault and the owner's (one call each: a document has one organization)."""
    period = statement.period
    for organization_id in dict.fromkeys((statement.organization_id, statement.owner_id)):
        cms.file_generated_document(
            kind=DocumentKind.OWNER_STATEMENT,
            title=f"Relevé de gérance {period:%m/%Y}",
            source=STATEMENT_SOURCE,
            source_id=str(statement.public_id),
            organization_id=organization_id,
            metadata={"period": period.isoformat(), "net": statement.net, "currency": statement.currency},
        )
