"""GraphQL: my KYC, my limits, base64 uploads (refusals are typed, translated errors),
submit, another organization's KYB is null; list fields keep a query ceiling."""

import base64

import pytest
from rest_framework.test import APIClient

from apps.kyc.services import submissions
from tests.helpers import bearer_client
from tests.helpers import gql as gql_as
from tests.identity.factories import UserFactory

from .helpers import PERSON, huge_png, jpeg_bytes, pdf_bytes, zip_bomb

pytestmark = pytest.mark.django_db

UPLOAD = """mutation($kind: String!, $content: String!, $filename: String) {
  kycUploadDocument(kind: $kind, contentBase64: $content, filename: $filename) {
    ok errors { field code message } document { id kind contentType viewUrl } } }"""
MY_KYC = """{ kycMine { tier tierLabel country howToRaise limits { singleTransaction currency }
  nextLimits { tier maxBalance } submission { status missing documents { id kind viewUrl } } } }"""


def gql(user, query, variables=None, language="fr"):
    """`query` as `user` (a bearer token, as the apps send it; anonymous when None)."""
    client = bearer_client(user) if user is not None else APIClient()
    return gql_as(client, query, variables, HTTP_ACCEPT_LANGUAGE=language)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_my_kyc_and_limits(person):
    data = gql(person, MY_KYC)["kycMine"]
    assert data["tier"] == 0 and data["limits"] == {"singleTransaction": 100000, "currency": "XOF"}
    assert (
        data["nextLimits"] == {"tier": 1, "maxBalance": 1000000} and "carte d'identité" in data["howToRaise"]
    )
    assert gql(None, MY_KYC)["kycMine"] is None
    assert gql(person, "{ kycMyLimits { tier maxBalance } }")["kycMyLimits"] == {
        "tier": 0,
        "maxBalance": 200000,
    }


def test_upload_update_submit(person):
    uploaded = gql(person, UPLOAD, {"kind": "id_card", "content": b64(jpeg_bytes()), "filename": "cni.jpg"})[
        "kycUploadDocument"
    ]
    assert uploaded["ok"] and uploaded["document"]["contentType"] == "image/jpeg"
    assert uploaded["document"]["viewUrl"].startswith("http://testserver/api/v1/kyc/files/")
    update = """mutation($first: String, $last: String, $dob: Date, $num: String, $exp: Date) {
      kycUpdateSubmission(firstName: $first, lastName: $last, dateOfBirth: $dob, idNumber: $num, idExpiryDate: $exp) {
        ok errors { field code } submission { status missing } } }"""
    updated = gql(
        person,
        update,
        {"first": "Brice", "last": "Zinsou", "dob": "1990-04-12", "num": "B1", "exp": "2031-01-01"},
    )
    assert (
        updated["kycUpdateSubmission"]["ok"] and updated["kycUpdateSubmission"]["submission"]["missing"] == []
    )
    submitted = gql(person, "mutation { kycSubmit { ok errors { code } submission { status } } }")[
        "kycSubmit"
    ]
    assert submitted == {"ok": True, "errors": [], "submission": {"status": "submitted"}}


@pytest.mark.parametrize(
    ("data", "filename", "kind", "code"),
    [
        (pdf_bytes(), "cni.jpg", "id_card", "file_type_mismatch"),
        (zip_bomb(10), "", "id_card", "unsupported_file_type"),
        (huge_png(50_000, 50_000), "", "selfie", "image_too_large"),
        (pdf_bytes(), "", "selfie", "file_type_not_allowed"),
    ],
)
def test_hostile_uploads_are_typed_errors(person, data, filename, kind, code):
    result = gql(person, UPLOAD, {"kind": kind, "content": b64(data), "filename": filename})[
        "kycUploadDocument"
    ]
    assert result["ok"] is False and result["document"] is None
    assert result["errors"][0]["code"] == code and result["errors"][0]["field"] == "contentBase64"


def test_bad_base64_oversize_and_anonymous(person, settings):
    bad = gql(person, UPLOAD, {"kind": "id_card", "content": "***not base64***"}, language="en")[
        "kycUploadDocument"
    ]
    assert bad["errors"][0] == {
        "field": "contentBase64",
        "code": "invalid_file",
        "message": "The file is not valid base64.",
    }
    settings.KYC_MAX_UPLOAD_BYTES = 1000
    big = gql(person, UPLOAD, {"kind": "id_card", "content": b64(b"\xff\xd8\xff" + b"0" * 2000)})[
        "kycUploadDocument"
    ]
    assert big["errors"][0]["code"] == "file_too_large"
    anonymous = gql(None, UPLOAD, {"kind": "id_card", "content": b64(jpeg_bytes())})["kycUploadDocument"]
    assert anonymous["errors"][0]["code"] == "not_authenticated"


def test_another_users_document_and_another_orgs_kyb(person, org_a, manager_a, manager_b):
    document_id = gql(person, UPLOAD, {"kind": "id_card", "content": b64(jpeg_bytes())})["kycUploadDocument"][
        "document"
    ]["id"]
    thief = UserFactory()
    deleted = gql(
        thief,
        "mutation($id: UUID!) { kycDeleteDocument(id: $id) { ok errors { code } } }",
        {"id": document_id},
    )
    assert deleted["kycDeleteDocument"] == {"ok": False, "errors": [{"code": "not_found"}]}
    query = (
        "query($id: UUID!) { kycOrganizationKyb(organizationId: $id) { verified submission { legalName } } }"
    )
    submissions.draft_for_organization(actor=manager_a, organization_id=org_a.pk)
    assert gql(manager_a, query, {"id": str(org_a.public_id)})["kycOrganizationKyb"]["verified"] is False
    assert gql(manager_b, query, {"id": str(org_a.public_id)})["kycOrganizationKyb"] is None


def test_my_kyc_query_count_does_not_grow_with_documents(person, django_assert_max_num_queries):
    draft = submissions.draft_for_user(actor=person)
    submissions.submission_update(
        actor=person, submission=draft, **{k: v for k, v in PERSON.items() if k != "date_of_birth"}
    )
    gql(person, UPLOAD, {"kind": "id_card", "content": b64(jpeg_bytes())})
    with django_assert_max_num_queries(12):
        gql(person, MY_KYC)
    for kind in ("selfie", "proof_of_address", "passport", "driving_licence"):
        gql(person, UPLOAD, {"kind": kind, "content": b64(jpeg_bytes())})
    with django_assert_max_num_queries(12):  # same ceiling with five documents
        gql(person, MY_KYC)


def test_the_old_names_still_work(person, org_a, manager_a):
    """Deprecated aliases (docs/kyc.md): the apps keep working while they move."""
    old_upload = UPLOAD.replace("kycUploadDocument", "uploadKycDocument")
    uploaded = gql(person, old_upload, {"kind": "id_card", "content": b64(jpeg_bytes())})["uploadKycDocument"]
    assert uploaded["ok"] is True
    old = gql(person, "{ myKyc { tier } myKycLimits { tier } }")
    new = gql(person, "{ kycMine { tier } kycMyLimits { tier } }")
    assert old == {"myKyc": new["kycMine"], "myKycLimits": new["kycMyLimits"]} and new["kycMine"]["tier"] == 0
    updated = gql(
        person,
        'mutation { updateKycSubmission(firstName: "Brice") { ok submission { firstName } } }',
    )["updateKycSubmission"]
    assert updated == {"ok": True, "submission": {"firstName": "Brice"}}
    refused = gql(person, "mutation { submitKyc { ok errors { code } } }")["submitKyc"]
    assert refused["ok"] is False and refused["errors"]
    deleted = gql(
        person,
        "mutation($id: UUID!) { deleteKycDocument(id: $id) { ok errors { code } } }",
        {"id": uploaded["document"]["id"]},
    )
    assert deleted["deleteKycDocument"] == {"ok": True, "errors": []}
    submissions.draft_for_organization(actor=manager_a, organization_id=org_a.pk)
    query = "query($id: UUID!) { organizationKyb(organizationId: $id) { verified } }"
    assert gql(manager_a, query, {"id": str(org_a.public_id)})["organizationKyb"] == {"verified": False}
