"""The emergency fund and guarantors over REST and GraphQL (the same services)."""

import pytest

from apps.identity import api as identity
from apps.lending.services import guarantors
from tests.helpers import bearer_client, gql
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_rest_open_deposit_withdraw(fund_topup):
    user = UserFactory()
    fund_topup(user, 100_000)
    client = bearer_client(user)
    assert client.get("/api/v1/lending/fund").status_code == 404
    opened = client.post(
        "/api/v1/lending/fund",
        {"goal": 500_000, "withdrawal_rule": "notice", "notice_days": 5},
        format="json",
        HTTP_IDEMPOTENCY_KEY="open-1",
    )
    assert opened.status_code == 201, opened.content
    assert opened.json()["goal"]["amount"] == 500_000 and opened.json()["notice_days"] == 5
    moved = client.post(
        "/api/v1/lending/fund/deposits", {"amount": 30_000}, format="json", HTTP_IDEMPOTENCY_KEY="dep-1"
    )
    assert moved.status_code == 201, moved.content
    assert moved.json()["fund"]["balance"]["amount"] == 30_000
    no_key = client.post("/api/v1/lending/fund/deposits", {"amount": 1}, format="json")
    assert no_key.status_code == 400
    asked = client.post(
        "/api/v1/lending/fund/withdrawals", {"amount": 10_000}, format="json", HTTP_IDEMPOTENCY_KEY="w-1"
    )
    assert asked.status_code == 201 and asked.json()["status"] == "pending"
    fund = client.get("/api/v1/lending/fund").json()
    assert fund["available"]["amount"] == 20_000 and fund["balance"]["amount"] == 30_000
    too_much = client.post(
        "/api/v1/lending/fund/withdrawals", {"amount": 20_001}, format="json", HTTP_IDEMPOTENCY_KEY="w-2"
    )
    assert too_much.status_code == 409
    assert too_much.json()["type"].endswith("/lending_fund_not_enough")
    withdrawal_id = asked.json()["id"]
    cancelled = client.post(f"/api/v1/lending/fund/withdrawals/{withdrawal_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    listed = client.get("/api/v1/lending/fund/withdrawals").json()
    assert [w["id"] for w in listed] == [withdrawal_id]
    auto = client.post(
        "/api/v1/lending/fund/automatic", {"amount": 5_000, "frequency": "weekly"}, format="json"
    )
    assert auto.status_code == 200 and auto.json()["auto_amount"]["amount"] == 5_000
    changed = client.patch("/api/v1/lending/fund", {"goal": 0}, format="json")
    assert changed.status_code == 200 and changed.json()["goal"]["amount"] == 0


def test_graphql_fund(fund_topup):
    user = UserFactory()
    fund_topup(user, 50_000)
    client = bearer_client(user)
    assert gql(client, "{ lendingEmergencyFund { id } }")["lendingEmergencyFund"] is None
    opened = gql(
        client,
        'mutation { lendingOpenEmergencyFund(goal: 90000, idempotencyKey: "o") '
        "{ ok errors { code } fund { id goal { amount } withdrawalRule } } }",
    )["lendingOpenEmergencyFund"]
    assert opened["ok"] and opened["fund"]["goal"]["amount"] == 90_000
    deposit = gql(
        client,
        'mutation { lendingDepositToFund(amount: 20000, idempotencyKey: "d") '
        "{ ok errors { code } fund { balance { amount } available { amount } } } }",
    )["lendingDepositToFund"]
    assert deposit["ok"] and deposit["fund"]["balance"]["amount"] == 20_000
    out = gql(
        client,
        'mutation { lendingWithdrawFromFund(amount: 5000, idempotencyKey: "w") '
        "{ ok errors { code } withdrawal { status paidAmount { amount } } } }",
    )["lendingWithdrawFromFund"]
    assert out["ok"] and out["withdrawal"] == {"status": "paid", "paidAmount": {"amount": 5_000}}
    refused = gql(
        client,
        'mutation { lendingWithdrawFromFund(amount: 15001, idempotencyKey: "w2") { ok errors { code } } }',
    )["lendingWithdrawFromFund"]
    assert refused == {"ok": False, "errors": [{"code": "lending_fund_not_enough"}]}
    read = gql(
        client,
        "{ lendingEmergencyFund { balance { amount } monthsSaving } lendingFundWithdrawals { status } }",
    )
    assert read["lendingEmergencyFund"]["balance"]["amount"] == 15_000
    assert [w["status"] for w in read["lendingFundWithdrawals"]] == ["paid"]


def test_guarantee_over_rest_and_graphql(fund_saver, fund_loan, fund_sms):
    borrower, _fund = fund_saver
    loan = fund_loan(borrower, requires_guarantor=True)
    friend = UserFactory()
    invited = bearer_client(borrower).post(
        f"/api/v1/lending/loans/{loan.public_id}/guarantors",
        {"phone": str(friend.phone), "name": "Koffi"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="inv",
    )
    assert invited.status_code == 201, invited.content
    guarantee_id = invited.json()["id"]
    friend_client = bearer_client(friend)
    asked = friend_client.get("/api/v1/lending/guarantees").json()
    assert [(r["id"], r["loan_number"], r["principal"]["amount"]) for r in asked] == [
        (guarantee_id, loan.number, loan.principal)
    ]
    refused = gql(
        friend_client,
        f'mutation {{ lendingAcceptGuarantee(guaranteeId: "{guarantee_id}", stepUpToken: "nope") '
        "{ ok errors { code } } }",
    )["lendingAcceptGuarantee"]
    assert refused["ok"] is False
    challenge = identity.step_up_start(
        actor=friend,
        action=guarantors.STEP_UP_ACTION,
        target=guarantee_id,
        amount=loan.principal,
        currency=loan.currency,
    )
    token = identity.step_up_verify(
        actor=friend, challenge_id=challenge.challenge_id, code=fund_sms.last_code(friend.phone)
    ).token
    accepted = friend_client.post(
        f"/api/v1/lending/guarantees/{guarantee_id}/accept", {"step_up_token": token}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    listed = gql(
        bearer_client(borrower), f'{{ lendingLoanGuarantors(loanId: "{loan.public_id}") {{ status name }} }}'
    )["lendingLoanGuarantors"]
    assert listed == [{"status": "accepted", "name": "Koffi"}]
