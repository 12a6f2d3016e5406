"""The wallet's REST (/api/v1/wallet/…) and GraphQL (wallet…) surfaces: the same services,
problem details for refusals, Idempotency-Key on every 201, a user only ever sees their own
wallet, a bounded number of queries per statement page."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.wallet.models import TopUp, Wallet
from apps.wallet.services import wallets
from tests.helpers import bearer_client, gql, gql_response
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_rest_wallet_balance_and_usage_are_the_callers_own(user, fund):
    wallet = wallets.wallet_for(user)
    fund(wallet, 12_345)
    client = bearer_client(user)
    body = client.get("/api/v1/wallet").json()
    assert body["id"] == str(wallet.public_id) and body["balance"]["amount"] == 12_345
    assert body["status"] == "active"
    assert client.get("/api/v1/wallet/balance").json()["available"]["amount"] == 12_345
    usage = client.get("/api/v1/wallet/usage").json()
    assert usage["tier"] == 0 and usage["inflow_this_month"]["amount"] == 12_345
    assert usage["max_balance"]["amount"] == 200_000
    other = bearer_client(UserFactory()).get("/api/v1/wallet").json()
    assert other["id"] != str(wallet.public_id) and other["balance"]["amount"] == 0
    assert bearer_client(None).get("/api/v1/wallet").status_code == 401


def test_rest_topup_needs_an_idempotency_key_and_replays(user):
    client = bearer_client(user)
    missing = client.post("/api/v1/wallet/topups", {"amount": 5_000}, format="json")
    assert missing.status_code == 400 and missing["Content-Type"].startswith("application/problem+json")
    first = client.post("/api/v1/wallet/topups", {"amount": 5_000}, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    again = client.post("/api/v1/wallet/topups", {"amount": 5_000}, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    assert first.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert first.json()["pay_url"] and first.json()["status"] == "pending"
    assert TopUp.objects.filter(wallet__user=user).count() == 1
    strict = client.post(
        "/api/v1/wallet/topups", {"amount": 5_000, "amout": 1}, format="json", HTTP_IDEMPOTENCY_KEY="t-2"
    )
    assert strict.status_code == 400
    listed = client.get("/api/v1/wallet/topups").json()
    assert [t["id"] for t in listed] == [first.json()["id"]]


def test_rest_refusals_are_problem_details(user, fund):
    wallet = wallets.wallet_for(user)
    fund(wallet, 1_000)
    Wallet.objects.filter(pk=wallet.pk).update(status=Wallet.Status.FROZEN)
    client = bearer_client(user)
    frozen = client.post("/api/v1/wallet/topups", {"amount": 5_000}, format="json", HTTP_IDEMPOTENCY_KEY="f")
    assert frozen.status_code == 409 and frozen.json()["type"].endswith("wallet_frozen")
    mine = client.post(
        "/api/v1/wallet/withdrawals",
        {"amount": 1_000, "phone": "+22901999999"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="w",
    )
    assert mine.status_code == 400 and mine.json()["type"].endswith("not_own_number")


def test_rest_pay_a_rent_due_from_the_wallet(
    estate_overdue_lease, fund, rent_otp, django_capture_on_commit_callbacks
):
    tenant = estate_overdue_lease.tenant
    client = bearer_client(tenant)
    dues = client.get("/api/v1/wallet/rent-dues").json()
    assert dues
    due = dues[0]
    wallets_of = wallets.wallet_for(tenant)
    fund(wallets_of, due["outstanding"]["amount"])
    stranger = bearer_client(UserFactory())
    assert stranger.post(f"/api/v1/wallet/rent-dues/{due['id']}/pay", {}, format="json").status_code == 404
    owed = due["outstanding"]["amount"]
    no_code = client.post(
        f"/api/v1/wallet/rent-dues/{due['id']}/pay", {}, format="json", HTTP_IDEMPOTENCY_KEY="pay-0"
    )
    assert no_code.status_code == 403 and no_code.json()["type"].endswith("step_up_required"), no_code.content
    token = rent_otp(tenant, due["id"], owed)
    with django_capture_on_commit_callbacks(execute=True):
        paid = client.post(
            f"/api/v1/wallet/rent-dues/{due['id']}/pay",
            {"step_up_token": token},
            format="json",
            HTTP_IDEMPOTENCY_KEY="pay-1",
        )
    assert paid.status_code == 201, paid.content
    assert paid.json()["status"] == "succeeded" and paid.json()["receipt_number"]
    assert due["id"] not in {d["id"] for d in client.get("/api/v1/wallet/rent-dues").json()}


def test_statement_pages_have_a_query_ceiling_and_files(user, fund):
    wallet = wallets.wallet_for(user)
    client = bearer_client(user)
    fund(wallet, 1_000)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/wallet/statement?limit=50").status_code == 200
    for _ in range(30):
        fund(wallet, 1_000)
    with CaptureQueriesContext(connection) as many:
        body = client.get("/api/v1/wallet/statement?limit=50").json()
    assert len(body["lines"]) == 31 and body["lines"][-1]["balance"]["amount"] == 31_000
    assert len(many) <= len(few) + 1 and len(many) <= 25, [q["sql"] for q in many.captured_queries]
    csv = client.get("/api/v1/wallet/statement.csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().count("\n") == 32
    pdf = client.get("/api/v1/wallet/statement.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_graphql_wallet_usage_statement_and_topup(user, fund):
    wallet = wallets.wallet_for(user)
    fund(wallet, 4_000)
    client = bearer_client(user)
    data = gql(
        client,
        "{ walletAccount { id balance { amount } } walletUsage { tier inflowThisMonth { amount } } "
        "walletStatement { openingBalance { amount } lines { amount { amount } balance { amount } } nextAfter } }",
    )
    assert data["walletAccount"]["id"] == str(wallet.public_id)
    assert data["walletUsage"]["inflowThisMonth"]["amount"] == 4_000
    assert data["walletStatement"]["lines"][-1]["balance"]["amount"] == 4_000
    key = str(uuid.uuid4())
    started = gql(
        client,
        "mutation($k: String!) { walletStartTopUp(amount: 2500, idempotencyKey: $k) "
        "{ ok errors { code } topUp { id status payUrl amount { amount } } } }",
        {"k": key},
    )["walletStartTopUp"]
    assert started["ok"] and started["topUp"]["amount"]["amount"] == 2_500 and started["topUp"]["payUrl"]
    refused = gql_response(
        client,
        'mutation { walletRequestWithdrawal(amount: 1000, phone: "+22901999999", idempotencyKey: "x") '
        "{ ok errors { code } } }",
    )["data"]["walletRequestWithdrawal"]
    assert refused["ok"] is False and refused["errors"][0]["code"] == "not_own_number"
    none = gql(bearer_client(UserFactory()), "{ walletTopUps { id } }")
    assert none["walletTopUps"] == []
