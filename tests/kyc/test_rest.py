"""REST: my KYC, my limits, uploads (and every hostile file refused with a translated 4xx),
documents only through signed links bound to the viewer, KYB of an organization."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.core.models import AuditEntry
from apps.kyc.models import Document, Submission
from tests.helpers import bearer_client
from tests.identity.factories import MembershipFactory, UserFactory

from .helpers import huge_png, jpeg_bytes, pdf_bytes, png_bytes, zip_bomb

pytestmark = pytest.mark.django_db


def upload(
    client, data, *, name="photo.jpg", kind="id_card", content_type="image/jpeg", language="fr", **extra
):
    return client.post(
        "/api/v1/kyc/documents",
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type=content_type), **extra},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_my_kyc_starts_at_tier_0_with_limits(person):
    body = bearer_client(person).get("/api/v1/kyc/me").json()
    assert body["tier"] == 0 and body["country"] == "BJ" and body["submission"] is None
    assert body["limits"] == {
        "tier": 0,
        "country": "BJ",
        "currency": "XOF",
        "max_balance": 200_000,
        "monthly_inflow": 500_000,
        "single_transaction": 100_000,
        "daily_outflow": 100_000,
    }
    limits = bearer_client(person).get("/api/v1/kyc/limits").json()
    assert limits["next"]["tier"] == 1 and limits["next"]["max_balance"] == 1_000_000


def test_fill_upload_submit(person):
    client = bearer_client(person)
    response = client.patch(
        "/api/v1/kyc/submission",
        {
            "first_name": "Brice",
            "last_name": "Zinsou",
            "date_of_birth": "1990-04-12",
            "id_number": "B123",
            "id_expiry_date": "2031-01-01",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert "une carte d'identité, un passeport ou un permis de conduire" in response.json()["missing"]
    incomplete = client.post("/api/v1/kyc/submission/submit")
    assert incomplete.status_code == 400 and incomplete.json()["code"] == "kyc_submission_incomplete"
    assert "Il manque" in incomplete.json()["detail"]

    created = upload(client, jpeg_bytes())
    assert created.status_code == 201, created.json()
    assert created.json()["content_type"] == "image/jpeg" and created.json()["kind"] == "id_card"
    submitted = client.post("/api/v1/kyc/submission/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    late = upload(client, jpeg_bytes(), kind="selfie")  # a new draft would start only after a decision
    assert late.status_code == 409 and late.json()["code"] == "kyc_document_locked"


def test_unknown_fields_and_bad_values_are_field_errors(person):
    client = bearer_client(person)
    response = client.patch("/api/v1/kyc/submission", {"tier": 2}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "unknown_field"
    expired = client.patch("/api/v1/kyc/submission", {"id_expiry_date": "2001-01-01"}, format="json")
    assert expired.status_code == 400 and expired.json()["errors"][0]["field"] == "id_expiry_date"


@pytest.mark.parametrize(
    ("data", "name", "content_type", "kind", "status", "code"),
    [
        (pdf_bytes(), "cni.jpg", "image/jpeg", "id_card", 400, "file_type_mismatch"),
        (pdf_bytes(), "selfie.pdf", "application/pdf", "selfie", 400, "file_type_not_allowed"),
        (zip_bomb(20), "bomb.zip", "application/zip", "id_card", 400, "unsupported_file_type"),
        (zip_bomb(20), "bomb.jpg", "image/jpeg", "id_card", 400, "unsupported_file_type"),
        (huge_png(60_000, 60_000), "big.png", "image/png", "id_card", 400, "image_too_large"),
        (huge_png(9_000, 9_000), "big.png", "image/png", "selfie", 400, "image_too_large"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "broken.png", "image/png", "id_card", 400, "invalid_image"),
        (b"<svg onload=alert(1)>", "x.svg", "image/svg+xml", "id_card", 400, "unsupported_file_type"),
    ],
)
def test_hostile_uploads_are_refused_cleanly_and_translated(
    person, data, name, content_type, kind, status, code
):
    french = upload(bearer_client(person), data, name=name, content_type=content_type, kind=kind)
    assert french.status_code == status, french.content
    assert french["Content-Type"] == "application/problem+json"
    assert french.json()["code"] == code and french.json()["errors"][0]["field"] == "file"
    english = upload(
        bearer_client(person), data, name=name, content_type=content_type, kind=kind, language="en"
    )
    assert english.json()["detail"] != french.json()["detail"]  # translated both ways
    assert not Document.objects.exists()


def test_oversized_uploads(person, settings):
    settings.KYC_MAX_UPLOAD_BYTES = 50_000
    too_big = upload(bearer_client(person), jpeg_bytes((1200, 1200)) + b"\x00" * 60_000)
    assert too_big.status_code == 413 and too_big.json()["code"] in ("file_too_large", "body_too_large")
    huge = upload(
        bearer_client(person), b"\xff\xd8\xff" + b"\x00" * (11 * 1024 * 1024)
    )  # over MAX_UPLOAD_BYTES
    assert huge.status_code == 413 and huge.json()["code"] == "body_too_large"


def test_replacing_a_document_keeps_one_per_kind_and_side(
    person, kyc_storage, django_capture_on_commit_callbacks
):
    client = bearer_client(person)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, jpeg_bytes())
        second = upload(client, png_bytes(), name="cni.png", content_type="image/png").json()
        back = upload(client, jpeg_bytes(), side="back").json()
    assert {d["id"] for d in client.get("/api/v1/kyc/documents").json()["results"]} == {
        second["id"],
        back["id"],
    }
    assert len(list(kyc_storage.rglob("*.bin"))) == 2  # the replaced file is gone
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"/api/v1/kyc/documents/{back['id']}").status_code == 204
    assert len(list(kyc_storage.rglob("*.bin"))) == 1


def test_only_the_owner_opens_a_document_and_only_before_the_link_expires(person, time_machine):
    time_machine.move_to("2026-03-02 10:00:00+00:00", tick=False)
    owner = bearer_client(person)
    document_id = upload(owner, jpeg_bytes()).json()["id"]
    link = owner.get(f"/api/v1/kyc/documents/{document_id}/link").json()
    path = link["url"].replace("http://testserver", "")
    opened = owner.get(path)
    assert opened.status_code == 200 and opened["Content-Type"] == "image/jpeg"
    assert opened.content.startswith(b"\xff\xd8\xff") and opened["Cache-Control"] == "no-store, private"
    assert AuditEntry.objects.filter(action="kyc.document.viewed", target_public_id=document_id).count() == 1

    thief = bearer_client(UserFactory())
    assert thief.get(path).status_code == 404  # a leaked link opens nothing for someone else
    assert thief.get(f"/api/v1/kyc/documents/{document_id}/link").status_code == 404
    assert thief.delete(f"/api/v1/kyc/documents/{document_id}").status_code == 404
    assert APIClient().get(path).status_code in (401, 403)
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    assert owner.get(tampered).status_code == 404

    time_machine.shift(timedelta(minutes=6))  # KYC_SIGNED_URL_TTL_SECONDS = 300
    expired = owner.get(path)
    assert expired.status_code == 404 and expired.json()["code"] == "link_expired"
    assert thief.get(path).status_code == 404
    assert AuditEntry.objects.filter(action="kyc.document.viewed").count() == 1


def test_staff_cannot_fetch_documents_through_the_api(person, compliance):
    """Staff see documents in the back-office (TOTP session), not with an API token."""
    document_id = upload(bearer_client(person), jpeg_bytes()).json()["id"]
    assert bearer_client(compliance).get(f"/api/v1/kyc/documents/{document_id}/link").status_code == 404


def test_documents_list_query_count_does_not_grow(person, django_assert_max_num_queries):
    client = bearer_client(person)
    for kind in ("id_card", "selfie", "proof_of_address"):
        upload(client, jpeg_bytes(), kind=kind)
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/kyc/documents").json()["results"]) == 3
    for _ in range(2):
        upload(client, jpeg_bytes(), kind="id_card", side="back")
        upload(client, jpeg_bytes(), kind="passport")
    with django_assert_max_num_queries(8):
        client.get("/api/v1/kyc/documents")
    with django_assert_max_num_queries(14):
        client.get("/api/v1/kyc/me")


# --- KYB ---------------------------------------------------------------------------------------


def kyb_upload(client, org, data, *, kind="rccm", name="rccm.pdf", content_type="application/pdf", **extra):
    return client.post(
        f"/api/v1/kyc/organizations/{org.public_id}/documents",
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type=content_type), **extra},
        format="multipart",
    )


def test_kyb_flow_and_cross_organization_404(org_a, manager_a, manager_b):
    client = bearer_client(manager_a)
    base = f"/api/v1/kyc/organizations/{org_a.public_id}"
    assert client.get(base).json() == {
        "organization_id": str(org_a.public_id),
        "verified": False,
        "submission": None,
    }
    client.patch(
        base,
        {
            "legal_name": "Agence A SARL",
            "rccm_number": "RB/COT/24 B 1234",
            "ifu_number": "3202412345678",
            "registered_address": "Cotonou",
        },
        format="json",
    )
    director = client.post(
        f"{base}/directors", {"full_name": "Rosine Agossou", "role": "gérante"}, format="json"
    )
    assert director.status_code == 201
    assert kyb_upload(client, org_a, pdf_bytes()).status_code == 201
    assert kyb_upload(client, org_a, pdf_bytes(), kind="ifu").status_code == 201
    not_yet = client.post(f"{base}/submit")
    assert not_yet.status_code == 400 and "Rosine Agossou" in not_yet.json()["detail"]
    assert (
        kyb_upload(
            client,
            org_a,
            jpeg_bytes(),
            kind="id_card",
            name="cni.jpg",
            content_type="image/jpeg",
            director=director.json()["id"],
        ).status_code
        == 201
    )
    submitted = client.post(f"{base}/submit")
    assert submitted.status_code == 200 and submitted.json()["submission"]["status"] == "submitted"
    assert len(submitted.json()["submission"]["directors"][0]["documents"]) == 1

    other = bearer_client(manager_b)
    for method, path in [
        ("get", base),
        ("patch", base),
        ("post", f"{base}/directors"),
        ("post", f"{base}/submit"),
        ("post", f"{base}/documents"),
    ]:
        assert getattr(other, method)(path, {}, format="json").status_code == 404, path
    assert kyb_upload(other, org_a, pdf_bytes()).status_code == 404


def test_kyb_members_see_status_but_only_managers_change_it(org_a):
    viewer = MembershipFactory(organization=org_a, role="viewer").user
    base = f"/api/v1/kyc/organizations/{org_a.public_id}"
    assert bearer_client(viewer).get(base).status_code == 200
    assert bearer_client(viewer).patch(base, {"legal_name": "X"}, format="json").status_code == 403
    assert kyb_upload(bearer_client(viewer), org_a, pdf_bytes()).status_code == 403
    assert not Submission.objects.exists()


def test_anonymous_gets_401(db):
    for path in ("/api/v1/kyc/me", "/api/v1/kyc/limits", "/api/v1/kyc/documents"):
        assert APIClient().get(path).status_code == 401
