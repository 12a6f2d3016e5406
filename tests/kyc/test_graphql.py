"""GraphQL: my KYC, my limits, base64 uploads (refusals are typed, translated errors),
submit, another organization's KYB is null; list fields keep a query ceiling."""

import base64

import pytest
from rest_framework.test import APIClient

from apps.kyc.services import submissions
from tests.helpers import bearer_client, gql_response
from tests.helpers import gql as gql_as
from tests.identity.factories import MembershipFactory, UserFactory

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
    anonymous = gql_response(APIClient(), MY_KYC)
    assert anonymous["data"] == {"kycMine": None}
    assert anonymous["errors"][0]["extensions"]["code"] == "unauthenticated"
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


# --- an organization's KYB (REST parity, issue 14) ----------------------------------------------

KYB_FIELDS = "ok errors { field code message } kyb { verified submission { status legalName rccmNumber missing directors { fullName role idNumber documents { kind } } } }"
UPDATE_KYB = f"""mutation($o: UUID!, $legal: String, $rccm: String, $ifu: String, $address: String) {{
  kycUpdateOrganizationKyb(organizationId: $o, legalName: $legal, rccmNumber: $rccm, ifuNumber: $ifu,
    registeredAddress: $address) {{ {KYB_FIELDS} }} }}"""
ADD_DIRECTOR = """mutation($o: UUID!, $name: String!, $role: String, $num: String) {
  kycAddDirector(organizationId: $o, fullName: $name, role: $role, idNumber: $num) {
    ok errors { field code } director { id fullName role idNumber documents { id } } } }"""
REMOVE_DIRECTOR = f"""mutation($o: UUID!, $d: UUID!) {{
  kycRemoveDirector(organizationId: $o, directorId: $d) {{ {KYB_FIELDS} }} }}"""
UPLOAD_KYB = """mutation($o: UUID!, $kind: String!, $content: String!, $director: UUID, $filename: String) {
  kycUploadOrganizationDocument(organizationId: $o, kind: $kind, contentBase64: $content, directorId: $director,
    filename: $filename) { ok errors { field code } document { id kind contentType viewUrl } } }"""
SUBMIT_KYB = f"mutation($o: UUID!) {{ kycSubmitOrganizationKyb(organizationId: $o) {{ {KYB_FIELDS} }} }}"


def test_kyb_filled_in_and_submitted_over_graphql(org_a, manager_a):
    o = str(org_a.public_id)
    updated = gql(
        manager_a,
        UPDATE_KYB,
        {
            "o": o,
            "legal": "Agence A SARL",
            "rccm": "RB/COT/24 B 1234",
            "ifu": "3202412345678",
            "address": "Cotonou",
        },
    )["kycUpdateOrganizationKyb"]
    assert updated["ok"] is True and updated["kyb"]["verified"] is False
    assert updated["kyb"]["submission"]["status"] == "draft"
    assert (updated["kyb"]["submission"]["legalName"], updated["kyb"]["submission"]["rccmNumber"]) == (
        "Agence A SARL",
        "RB/COT/24 B 1234",
    )
    director = gql(
        manager_a, ADD_DIRECTOR, {"o": o, "name": " Rosine Agossou ", "role": "gérante", "num": "BJ-1"}
    )["kycAddDirector"]
    assert director["ok"] is True
    assert director["director"]["fullName"] == "Rosine Agossou" and director["director"]["idNumber"] == "BJ-1"
    for kind in ("rccm", "ifu"):
        uploaded = gql(
            manager_a,
            UPLOAD_KYB,
            {"o": o, "kind": kind, "content": b64(pdf_bytes()), "filename": f"{kind}.pdf"},
        )["kycUploadOrganizationDocument"]
        assert uploaded["ok"] is True and uploaded["document"]["contentType"] == "application/pdf"

    not_yet = gql(manager_a, SUBMIT_KYB, {"o": o}, language="en")["kycSubmitOrganizationKyb"]
    assert not_yet["ok"] is False and not_yet["kyb"] is None
    assert not_yet["errors"][0]["code"] == "kyc_submission_incomplete"
    assert "Rosine Agossou" in not_yet["errors"][0]["message"]
    identity_document = gql(
        manager_a,
        UPLOAD_KYB,
        {"o": o, "kind": "id_card", "content": b64(jpeg_bytes()), "director": director["director"]["id"]},
    )["kycUploadOrganizationDocument"]
    assert identity_document["ok"] is True and identity_document["document"]["kind"] == "id_card"

    submitted = gql(manager_a, SUBMIT_KYB, {"o": o})["kycSubmitOrganizationKyb"]
    assert submitted["ok"] is True and submitted["kyb"]["submission"]["status"] == "submitted"
    assert submitted["kyb"]["submission"]["directors"] == [
        {
            "fullName": "Rosine Agossou",
            "role": "gérante",
            "idNumber": "BJ-1",
            "documents": [{"kind": "id_card"}],
        }
    ]
    # the same submission as REST's
    rest = bearer_client(manager_a).get(f"/api/v1/kyc/organizations/{o}").json()
    assert rest["submission"]["status"] == "submitted" and rest["submission"]["legal_name"] == "Agence A SARL"
    again = gql(manager_a, UPDATE_KYB, {"o": o, "legal": "Autre"})["kycUpdateOrganizationKyb"]
    assert again["ok"] is False and again["errors"][0]["code"] == "kyc_invalid_transition"


def test_remove_a_director_and_their_documents(org_a, manager_a):
    from apps.kyc.models import Director, Document

    o = str(org_a.public_id)
    kept = gql(manager_a, ADD_DIRECTOR, {"o": o, "name": "Rosine Agossou"})["kycAddDirector"]["director"]
    removed = gql(manager_a, ADD_DIRECTOR, {"o": o, "name": "Comlan Dossou"})["kycAddDirector"]["director"]
    gql(
        manager_a,
        UPLOAD_KYB,
        {"o": o, "kind": "passport", "content": b64(jpeg_bytes()), "director": removed["id"]},
    )
    assert Document.objects.filter(director__public_id=removed["id"]).count() == 1

    done = gql(manager_a, REMOVE_DIRECTOR, {"o": o, "d": removed["id"]})["kycRemoveDirector"]
    assert done["ok"] is True
    assert [d["fullName"] for d in done["kyb"]["submission"]["directors"]] == ["Rosine Agossou"]
    assert not Director.objects.filter(public_id=removed["id"]).exists()
    assert not Document.objects.filter(kind="passport").exists()
    twice = gql(manager_a, REMOVE_DIRECTOR, {"o": o, "d": removed["id"]})["kycRemoveDirector"]
    assert twice["errors"] == [
        {"field": "directorId", "code": "not_found", "message": twice["errors"][0]["message"]}
    ]
    assert Director.objects.filter(public_id=kept["id"]).exists()


def test_kyb_refusals_are_typed(org_a, manager_a):
    from apps.kyc.models import Submission

    o = str(org_a.public_id)
    viewer = MembershipFactory(organization=org_a, role="viewer").user
    # a member who may see the KYB but not change it: forbidden (REST: 403), nothing created
    as_viewer = gql(viewer, UPDATE_KYB, {"o": o, "legal": "X"})["kycUpdateOrganizationKyb"]
    assert as_viewer["errors"][0]["code"] == "forbidden"
    upload = gql(viewer, UPLOAD_KYB, {"o": o, "kind": "rccm", "content": b64(pdf_bytes())})
    assert upload["kycUploadOrganizationDocument"]["errors"][0]["code"] == "forbidden"
    assert (
        gql(viewer, ADD_DIRECTOR, {"o": o, "name": "X"})["kycAddDirector"]["errors"][0]["code"] == "forbidden"
    )
    assert not Submission.objects.exists()

    too_long = gql(manager_a, UPDATE_KYB, {"o": o, "legal": "x" * 201})["kycUpdateOrganizationKyb"]
    assert (too_long["ok"], too_long["errors"][0]["field"], too_long["errors"][0]["code"]) == (
        False,
        "legal_name",
        "max_length",
    )
    blank = gql(manager_a, ADD_DIRECTOR, {"o": o, "name": "  "})["kycAddDirector"]
    assert (blank["director"], blank["errors"]) == (None, [{"field": "full_name", "code": "invalid"}])
    director = gql(manager_a, ADD_DIRECTOR, {"o": o, "name": "Rosine Agossou"})["kycAddDirector"]["director"]
    wrong_kind = gql(
        manager_a,
        UPLOAD_KYB,
        {"o": o, "kind": "rccm", "content": b64(pdf_bytes()), "director": director["id"]},
    )["kycUploadOrganizationDocument"]
    assert wrong_kind["errors"] == [{"field": "kind", "code": "invalid_document_kind"}]
    unknown = gql(
        manager_a,
        UPLOAD_KYB,
        {"o": o, "kind": "id_card", "content": b64(jpeg_bytes()), "director": str(org_a.public_id)},
    )["kycUploadOrganizationDocument"]
    assert unknown["errors"] == [{"field": "directorId", "code": "not_found"}]
    mismatch = gql(
        manager_a, UPLOAD_KYB, {"o": o, "kind": "ifu", "content": b64(pdf_bytes()), "filename": "ifu.jpg"}
    )
    assert mismatch["kycUploadOrganizationDocument"]["errors"] == [
        {"field": "contentBase64", "code": "file_type_mismatch"}
    ]
    anonymous = gql(None, SUBMIT_KYB, {"o": o})["kycSubmitOrganizationKyb"]
    assert anonymous["errors"][0]["code"] == "not_authenticated"


def test_another_organization_cannot_touch_the_kyb(org_a, manager_a, manager_b):
    from apps.kyc.models import Director, Document, Submission

    o = str(org_a.public_id)
    draft = submissions.draft_for_organization(actor=manager_a, organization_id=org_a.pk)
    submissions.submission_update(actor=manager_a, submission=draft, legal_name="Agence A SARL")
    director = submissions.director_add(actor=manager_a, organization_id=org_a.pk, full_name="Rosine Agossou")
    calls = [
        (UPDATE_KYB, {"legal": "Volée"}, "kycUpdateOrganizationKyb"),
        (ADD_DIRECTOR, {"name": "Intrus"}, "kycAddDirector"),
        (REMOVE_DIRECTOR, {"d": str(director.public_id)}, "kycRemoveDirector"),
        (UPLOAD_KYB, {"kind": "rccm", "content": b64(pdf_bytes())}, "kycUploadOrganizationDocument"),
        (SUBMIT_KYB, {}, "kycSubmitOrganizationKyb"),
    ]
    for mutation, variables, name in calls:
        result = gql(manager_b, mutation, {"o": o, **variables})[name]
        assert result["ok"] is False and [e["code"] for e in result["errors"]] == ["not_found"], name
        assert "Agence A SARL" not in str(result) and "Rosine" not in str(result), name
    draft.refresh_from_db()
    assert (draft.status, draft.legal_name) == ("draft", "Agence A SARL")
    assert list(Director.objects.values_list("full_name", flat=True)) == ["Rosine Agossou"]
    assert not Document.objects.exists() and Submission.objects.count() == 1
