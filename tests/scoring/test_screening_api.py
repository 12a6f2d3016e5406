"""Tenant screening over REST and GraphQL (the same services): the manager requests, the
applicant consents with the code sent to their phone, the manager issues and reads the report
and decides; refusals are problem details (REST) and typed errors (GraphQL); another
organization's request is a 404 / null."""

import uuid

import pytest

from apps.core.models import OutboxEvent
from apps.scoring.models import ScreeningRequest
from tests.helpers import bearer_client, gql

pytestmark = pytest.mark.django_db

V1 = "/api/v1/scoring/screening"


def _create(client, world, **extra):
    body = {"unit": str(world.unit.public_id), "phone": str(world.applicant.phone), **extra}
    return client.post(f"{V1}/requests", body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))


def test_rest_end_to_end(screening_world, screening_codes):
    w = screening_world
    manager, applicant = bearer_client(w.manager), bearer_client(w.applicant)
    created = _create(manager, w, applicant_name="Afi Mensah", rent=120_000)
    assert created.status_code == 201, created.content
    request_id = created.json()["id"]
    assert created.json()["state"] == "pending" and created.json()["rent"]["amount"] == 120_000

    refused = manager.get(f"{V1}/requests/{request_id}/report", HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 409
    assert (
        refused.json()["type"].endswith("scoring_screening_consent_missing")
        or "consent" in refused.json()["type"]
    )
    assert "accord" in refused.json()["detail"]
    assert manager.post(f"{V1}/requests/{request_id}/report").status_code == 409

    mine = applicant.get(f"{V1}/mine").json()
    assert [m["id"] for m in mine] == [request_id] and len(mine[0]["shared"]) == 6
    challenge = applicant.post(f"{V1}/mine/{request_id}/consent/start").json()
    consented = applicant.post(
        f"{V1}/mine/{request_id}/consent",
        {
            "challenge_id": challenge["challenge_id"],
            "code": screening_codes.last(w.applicant.phone),
            "declared_income": 400_000,
        },
        format="json",
    )
    assert consented.status_code == 200, consented.content
    assert consented.json()["state"] == "consented"

    issued = manager.post(f"{V1}/requests/{request_id}/report", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert issued.status_code == 201, issued.content
    report = issued.json()
    assert report["recommendation"] == "conditions" and report["conditions"] == ["guarantor"]
    assert report["income_ratio_bps"] == 3000 and report["declared_income"]["amount"] == 400_000
    assert report["band"] == "thin_file" and report["score"] is None
    read = manager.get(f"{V1}/requests/{request_id}/report").json()
    assert read["id"] == report["id"]
    pdf = manager.get(f"{V1}/requests/{request_id}/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    decided = manager.post(f"{V1}/requests/{request_id}/decision", {"decision": "conditions"}, format="json")
    assert decided.status_code == 200 and decided.json()["decision"] == "conditions"
    assert OutboxEvent.objects.filter(name="scoring.ScreeningReportIssued").count() == 1

    withdrawn = applicant.post(f"{V1}/mine/{request_id}/withdraw")
    assert withdrawn.json()["state"] == "withdrawn"
    gone = manager.get(f"{V1}/requests/{request_id}/report")
    assert gone.status_code == 409 and "withdrawn" in gone.json()["type"]


def test_rest_another_organization_and_bad_input(screening_world, screening_codes):
    w = screening_world
    manager, other = bearer_client(w.manager), bearer_client(w.other_manager)
    request_id = _create(manager, w).json()["id"]
    for path in ("", "/report", "/report.pdf"):
        assert other.get(f"{V1}/requests/{request_id}{path}").status_code == 404
    assert (
        other.post(
            f"{V1}/requests/{request_id}/decision", {"decision": "declined"}, format="json"
        ).status_code
        == 404
    )
    assert other.get(f"{V1}/requests").json()["results"] == []
    assert _create(other, w).status_code == 404  # A's unit
    assert other.get(f"{V1}/policies/{w.org.public_id}").status_code == 404
    # another person than the applicant cannot consent
    assert bearer_client(w.other_manager).post(f"{V1}/mine/{request_id}/consent/start").status_code == 404
    # strict bodies
    assert _create(manager, w, rent="1000").status_code == 400
    assert _create(manager, w, surprise=1).status_code == 400
    assert _create(manager, w, phone="12").status_code == 400


def test_rest_policy(screening_world):
    w = screening_world
    manager = bearer_client(w.manager)
    path = f"{V1}/policies/{w.org.public_id}"
    assert manager.get(path).json()["accept_min_score"] == 680
    saved = manager.patch(path, {"accept_min_score": 700, "conditions_deposit_months": 2}, format="json")
    assert saved.status_code == 200 and saved.json()["accept_min_score"] == 700
    over = manager.patch(path, {"conditions_deposit_months": 5}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert over.status_code == 400 and "plafond légal" in over.json()["detail"]


REQUEST = """mutation($unit: UUID!, $phone: String!) { scoringRequestScreening(unitId: $unit, phone: $phone) {
  ok errors { field code message } request { id state rent { amount currency } } } }"""
START = """mutation($id: UUID!) { scoringStartScreeningConsent(requestId: $id) { ok errors { code } challengeId } }"""
CONFIRM = """mutation($id: UUID!, $c: String!, $code: String!, $income: Amount!) {
  scoringConfirmScreeningConsent(requestId: $id, challengeId: $c, code: $code, declaredIncome: $income) {
    ok errors { code } request { state shared } } }"""
ISSUE = """mutation($id: UUID!) { scoringIssueScreeningReport(requestId: $id) {
  ok errors { code message } report { id recommendation conditions incomeRatioBps band score
  declaredIncome { amount } rentLines { month } recoveryCases { status } reasons { code text } } } }"""
REPORT = """query($id: UUID!) { scoringScreeningReport(requestId: $id) { ok errors { code message } report { id } } }"""
DECIDE = """mutation($id: UUID!) { scoringDecideScreening(requestId: $id, decision: DECLINED) {
  ok errors { code } request { decision } } }"""
WITHDRAW = (
    """mutation($id: UUID!) { scoringWithdrawScreeningConsent(requestId: $id) { ok request { state } } }"""
)


def test_graphql_end_to_end_with_typed_refusals(screening_world, screening_codes):
    w = screening_world
    manager, applicant = bearer_client(w.manager), bearer_client(w.applicant)
    done = gql(manager, REQUEST, {"unit": str(w.unit.public_id), "phone": str(w.applicant.phone)})
    assert done["scoringRequestScreening"]["ok"], done
    request_id = done["scoringRequestScreening"]["request"]["id"]

    early = gql(manager, ISSUE, {"id": request_id})["scoringIssueScreeningReport"]
    assert early["ok"] is False and early["errors"][0]["code"] == "scoring_screening_consent_missing"
    answer = gql(manager, REPORT, {"id": request_id})["scoringScreeningReport"]
    assert answer["ok"] is False and answer["errors"][0]["code"] == "scoring_screening_consent_missing"

    challenge = gql(applicant, START, {"id": request_id})["scoringStartScreeningConsent"]["challengeId"]
    confirmed = gql(
        applicant,
        CONFIRM,
        {
            "id": request_id,
            "c": challenge,
            "code": screening_codes.last(w.applicant.phone),
            "income": 100_000,
        },
    )["scoringConfirmScreeningConsent"]
    assert confirmed["ok"] and confirmed["request"]["state"] == "consented"

    issued = gql(manager, ISSUE, {"id": request_id})["scoringIssueScreeningReport"]
    assert issued["ok"], issued
    assert issued["report"]["recommendation"] == "decline" and issued["report"]["incomeRatioBps"] == 9000
    assert issued["report"]["reasons"][0]["code"] == "ratio_high"
    assert gql(manager, REPORT, {"id": request_id})["scoringScreeningReport"]["ok"]
    decided = gql(manager, DECIDE, {"id": request_id})["scoringDecideScreening"]
    assert decided["ok"] and decided["request"]["decision"] == "declined"

    # another organization: null, and its mutations refused
    other = bearer_client(w.other_manager)
    assert gql(other, REPORT, {"id": request_id})["scoringScreeningReport"] is None
    assert gql(other, ISSUE, {"id": request_id})["scoringIssueScreeningReport"]["ok"] is False
    assert gql(other, "{ scoringScreeningRequests { id } }")["scoringScreeningRequests"] == []

    gql(applicant, WITHDRAW, {"id": request_id})
    late = gql(manager, REPORT, {"id": request_id})["scoringScreeningReport"]
    assert late["errors"][0]["code"] == "scoring_screening_consent_withdrawn"
    assert ScreeningRequest.objects.get(public_id=request_id).status == "withdrawn"
