"""The tenant's own score over REST and GraphQL: the score, band and reasons, the
history, the rent lines behind it, disputes, the bureau consent. Another user's dispute is
never visible; anonymous callers are refused."""

from __future__ import annotations

import uuid

import pytest

from apps.scoring.models import RentLineDispute, ScoreAccess
from tests.helpers import bearer_client, gql
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

MY_SCORE = "{ scoringMyScore { score band bandLabel reasons { code direction text weight } loyaltyTier modelVersion } }"


def _month(history, i: int) -> str:
    return history.dues[i].period.strftime("%Y-%m")


def test_my_score_rest_and_graphql_say_the_same(rent_history):
    client = bearer_client(rent_history.tenant)
    response = client.get("/api/v1/scoring/me")
    assert response.status_code == 200, response.content
    rest = response.json()
    assert rest["band"] in {"excellent", "good", "fair", "weak", "poor", "thin_file"}
    assert rest["band_label"]
    if rest["band"] != "thin_file":
        assert 300 <= rest["score"] <= 850
        assert rest["reasons"] and {r["direction"] for r in rest["reasons"]} <= {"lowers", "raises"}
    data = gql(client, MY_SCORE)["scoringMyScore"]
    assert data["score"] == rest["score"] and data["band"] == rest["band"]
    assert [r["code"] for r in data["reasons"]] == [r["code"] for r in rest["reasons"]]
    # each read is in the access log, as the tenant's own
    assert ScoreAccess.objects.filter(subject=rent_history.tenant, why="self").count() == 2


def test_a_thin_file_gets_no_number(db):
    newcomer = UserFactory(full_name="Nouvelle Locataire")
    body = bearer_client(newcomer).get("/api/v1/scoring/me").json()
    assert body["score"] is None and body["band"] == "thin_file"
    assert body["band_label"]


def test_history_and_lines(rent_history):
    client = bearer_client(rent_history.tenant)
    client.get("/api/v1/scoring/me")  # the first read scores
    history = client.get("/api/v1/scoring/me/history").json()
    assert len(history) >= 1 and {"score", "band", "computed_at"} <= set(history[0])
    lines = client.get("/api/v1/scoring/me/lines").json()
    months = [line["month"] for line in lines]
    assert months == sorted(months, reverse=True)
    assert _month(rent_history, 9) in months
    line = next(x for x in lines if x["month"] == _month(rent_history, 9))
    assert line["code"] == "late_1_29" and line["days_late"] == 10
    assert line["amount"]["currency"] == "XOF" and line["can_dispute"] and line["dispute"] is None
    gql_lines = gql(client, "{ scoringMyRentLines { month code canDispute paid { amount } } }")[
        "scoringMyRentLines"
    ]
    assert [x["month"] for x in gql_lines] == months
    assert gql(client, "{ scoringMyScoreHistory { score band computedAt } }")["scoringMyScoreHistory"]


def test_open_a_dispute_over_rest_and_see_it_on_the_line(rent_history):
    client = bearer_client(rent_history.tenant)
    month = _month(rent_history, 9)
    body = {
        "lease": str(rent_history.lease.public_id),
        "month": month,
        "reason": "paid_on_time",
        "details": "Reçu 42",
    }
    response = client.post("/api/v1/scoring/me/disputes", body, format="json", HTTP_IDEMPOTENCY_KEY="d-1")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "open" and created["month"] == month and created["respond_by"]
    replay = client.post("/api/v1/scoring/me/disputes", body, format="json", HTTP_IDEMPOTENCY_KEY="d-1")
    assert replay.status_code == 201 and replay.json()["id"] == created["id"]
    again = client.post("/api/v1/scoring/me/disputes", body, format="json", HTTP_IDEMPOTENCY_KEY="d-2")
    assert again.status_code == 409 and again.json()["code"] == "scoring_dispute_already_open"
    line = next(x for x in client.get("/api/v1/scoring/me/lines").json() if x["month"] == month)
    assert line["dispute"] == created["id"] and line["dispute_status"] == "open" and not line["can_dispute"]
    assert client.get(f"/api/v1/scoring/me/disputes/{created['id']}").json()["details"] == "Reçu 42"
    assert [d["id"] for d in client.get("/api/v1/scoring/me/disputes").json()] == [created["id"]]

    # another tenant sees none of it and cannot contest the line
    stranger = bearer_client(UserFactory())
    assert stranger.get(f"/api/v1/scoring/me/disputes/{created['id']}").status_code == 404
    assert stranger.get("/api/v1/scoring/me/disputes").json() == []
    refused = stranger.post(
        "/api/v1/scoring/me/disputes",
        {**body, "month": _month(rent_history, 10)},
        format="json",
        HTTP_IDEMPOTENCY_KEY="s-1",
    )
    assert refused.status_code == 404 and refused.json()["code"] == "scoring_rent_line_not_found"
    assert RentLineDispute.objects.count() == 1


def test_open_a_dispute_over_graphql(rent_history):
    client = bearer_client(rent_history.tenant)
    mutation = """mutation($lease: UUID!, $month: String!) {
      scoringOpenDispute(lease: $lease, month: $month, reason: PAID_MORE, details: "MoMo") {
        ok errors { code field } dispute { id status month reason } } }"""
    variables = {"lease": str(rent_history.lease.public_id), "month": _month(rent_history, 11)}
    payload = gql(client, mutation, variables)["scoringOpenDispute"]
    assert (
        payload["ok"]
        and payload["dispute"]["status"] == "open"
        and payload["dispute"]["reason"] == "paid_more"
    )
    again = gql(client, mutation, variables)["scoringOpenDispute"]
    assert not again["ok"] and again["errors"][0]["code"] == "scoring_dispute_already_open"
    mine = gql(client, "{ scoringMyDisputes { id } }")["scoringMyDisputes"]
    assert [d["id"] for d in mine] == [payload["dispute"]["id"]]
    other = bearer_client(UserFactory())
    query = "query($id: UUID!) { scoringMyDispute(disputeId: $id) { id } }"
    assert gql(other, query, {"id": payload["dispute"]["id"]})["scoringMyDispute"] is None
    assert (
        gql(client, query, {"id": payload["dispute"]["id"]})["scoringMyDispute"]["id"]
        == payload["dispute"]["id"]
    )
    bad = gql(other, mutation, variables)["scoringOpenDispute"]
    assert not bad["ok"] and bad["errors"][0]["code"] == "scoring_rent_line_not_found"


def test_bureau_consent_rest_and_graphql(rent_history):
    client = bearer_client(rent_history.tenant)
    assert client.get("/api/v1/scoring/me/bureau-consent").json()["given"] is False
    given = client.post("/api/v1/scoring/me/bureau-consent/give")
    assert given.status_code == 200 and given.json()["given"] is True and given.json()["given_at"]
    data = gql(client, "mutation { scoringWithdrawBureauConsent { ok consent { given withdrawnAt } } }")
    assert data["scoringWithdrawBureauConsent"]["consent"]["given"] is False
    assert data["scoringWithdrawBureauConsent"]["consent"]["withdrawnAt"]
    assert gql(client, "{ scoringMyBureauConsent { given } }")["scoringMyBureauConsent"]["given"] is False
    again = gql(client, "mutation { scoringGiveBureauConsent { ok consent { given } } }")
    assert again["scoringGiveBureauConsent"]["consent"]["given"] is True
    withdrawn = client.post("/api/v1/scoring/me/bureau-consent/withdraw")
    assert withdrawn.json()["given"] is False


def test_anonymous_callers_are_refused(db):
    anonymous = bearer_client(None)
    for path in (
        "/api/v1/scoring/me",
        "/api/v1/scoring/me/lines",
        "/api/v1/scoring/me/disputes",
        "/api/v1/scoring/me/bureau-consent",
        f"/api/v1/scoring/me/disputes/{uuid.uuid4()}",
    ):
        assert anonymous.get(path).status_code == 401, path
