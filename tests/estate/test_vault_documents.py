"""Estate's generated documents appear in the vaults (HokweDoc) with no upload, by reference:
the lease when it is signed, the avis d'échéance when the dues are issued (in bulk, once),
the relevé de gérance when it is closed; each opens as its PDF through the vault, and the
avis of months a renewal takes back leave the vaults. (The quittance: tests/cms/test_vault_share.py.)"""

from datetime import date

import pytest

from apps.cms.models import VaultAccess, VaultDocument
from apps.estate import services
from apps.estate.events import RentDuesIssued
from apps.estate.handlers import file_notices
from apps.estate.models import RentDue
from tests.helpers import bearer_client

pytestmark = pytest.mark.django_db


def _rows(source, source_id):
    return VaultDocument.objects.filter(source=source, source_id=str(source_id), deleted_at=None)


def test_a_signed_lease_is_in_the_agency_and_tenant_vaults_and_opens(lease, agency, tenant):
    rows = _rows("estate.lease", lease.public_id)
    assert {(r.organization_id, r.user_id) for r in rows} == {(agency.pk, None), (None, tenant.pk)}
    assert {r.kind for r in rows} == {"lease"}
    mine = bearer_client(tenant).get("/api/v1/cms/vault/documents", {"kind": "lease"}).json()["results"]
    assert [d["name"] for d in mine] == [f"Bail {lease.reference} · Résidence Fidjrossè, B2"]
    pdf = bearer_client(tenant).get(f"/api/v1/cms/vault/documents/{mine[0]['id']}/download")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_avis_of_issued_dues_are_filed_once_in_bulk(lease, agency, tenant, manager):
    services.month_end_run(period=date(2026, 4, 1))
    april = RentDue.objects.get(lease=lease, period=date(2026, 4, 1))
    event = RentDuesIssued(period="2026-04-01", due_ids=[str(april.public_id)])
    file_notices(event, event_id="e1")
    file_notices(event, event_id="e2")  # delivered again: nothing filed twice
    rows = _rows("estate.notice", april.public_id)
    assert {(r.organization_id, r.user_id) for r in rows} == {(agency.pk, None), (None, tenant.pk)}
    assert all(r.name == "Avis d'échéance avril 2026 · Résidence Fidjrossè, B2" for r in rows)
    assert VaultAccess.objects.filter(document__in=rows, action="file").count() == 2
    found = bearer_client(manager).get(
        "/api/v1/cms/vault/documents", {"organization": str(agency.public_id), "q": april.reference}
    )
    assert [d["kind"] for d in found.json()["results"]] == ["notice"]
    pdf = bearer_client(tenant).get(f"/api/v1/cms/vault/documents/{rows.get(user=tenant).public_id}/download")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # a renewal from April takes the month back: its avis leaves the vaults
    from apps.estate.services.dues import dues_cancel_from

    dues_cancel_from(lease, period=date(2026, 4, 1))
    assert not _rows("estate.notice", april.public_id).exists()


def test_a_closed_statement_is_in_the_agency_and_owner_vaults(lease, manager, prop):
    services.payment_record(
        actor=manager, lease=lease, amount=80_000, method="bank_transfer", received_on=date(2026, 3, 2)
    )
    statement = services.statement_get_or_refresh(
        actor=manager, organization_id=prop.organization_id, owner_id=prop.owner_id, period=date(2026, 3, 1)
    )
    assert not _rows("estate.statement", statement.public_id).exists()  # a draft is not filed
    services.statement_close(actor=manager, statement=statement)
    rows = _rows("estate.statement", statement.public_id)
    assert {r.organization_id for r in rows} == {prop.organization_id, prop.owner_id}
    assert {r.name for r in rows} == {"Relevé de gérance 03/2026"} and {r.kind for r in rows} == {
        "owner_statement"
    }
    pdf = bearer_client(manager).get(
        f"/api/v1/cms/vault/documents/{rows.get(organization_id=prop.organization_id).public_id}/download"
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
