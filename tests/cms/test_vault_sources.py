"""The documents other modules generate appear in the vaults with no upload, by reference:
billing's invoices (the organization billed), recovery's formal notices (the organization and
the tenant). Estate's quittances: test_vault_share.py (the Done-when)."""

from __future__ import annotations

from apps.cms.models import VaultDocument
from tests.helpers import bearer_client
from tests.recovery.conftest import agency, case, clock, collector, ladder, lease, manager, prop, tenant  # noqa: F401


def test_a_finalized_invoice_appears_in_the_billed_organization_vault(billing_customer, org_a, manager_a):
    from tests.billing.surfaces import invoice

    issued = invoice(billing_customer, 15_000)
    (row,) = VaultDocument.objects.filter(source="billing.invoice", source_id=str(issued.public_id))
    assert row.organization_id == org_a.pk and row.kind == "invoice" and issued.number in row.name
    assert row.storage_name == "" and row.metadata["total"] == issued.total
    api = bearer_client(manager_a)
    listed = api.get(
        "/api/v1/cms/vault/documents", {"organization": str(org_a.public_id), "q": issued.number}
    )
    assert [d["id"] for d in listed.json()["results"]] == [str(row.public_id)]
    pdf = api.get(f"/api/v1/cms/vault/documents/{row.public_id}/download")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_formal_notice_appears_in_the_agency_and_tenant_vaults(case, manager, tenant, agency):  # noqa: F811
    from apps.recovery.services import formal_notice_issue

    notice = formal_notice_issue(case=case, actor=manager)
    rows = VaultDocument.objects.filter(source="recovery.formal_notice", source_id=str(notice.public_id))
    assert {(r.organization_id, r.user_id) for r in rows} == {(agency.pk, None), (None, tenant.pk)}
    mine = (
        bearer_client(tenant).get("/api/v1/cms/vault/documents", {"kind": "formal_notice"}).json()["results"]
    )
    assert [d["name"] for d in mine] == [f"Mise en demeure {notice.number}"]
    pdf = bearer_client(tenant).get(f"/api/v1/cms/vault/documents/{mine[0]['id']}/download")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
