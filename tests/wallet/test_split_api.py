"""HokweSplit on REST (/api/v1/wallet/splits…) and GraphQL (walletSplit…): create for my due
(201, Idempotency-Key replayed), strict bodies, problem details, pause/resume/cancel, early
withdrawal, the schedule; another user's plan is a 404 / null."""

import pytest

from apps.ledger import api as ledger
from apps.wallet.models import SplitPlan
from apps.wallet.services.split_schedule import run_due_debits
from tests.helpers import bearer_client, gql
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/wallet/splits"


def _create(client, due, key="k-1", **extra):
    return client.post(
        BASE,
        {"due": str(due), "frequency": "weekly", **extra},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_create_a_plan_for_my_due_and_replay_it(split_world):
    client = bearer_client(split_world.tenant)
    answer = _create(client, split_world.due.public_id, withdrawal_rule="free")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["target"]["amount"] == split_world.due.outstanding and body["target"]["currency"] == "XOF"
    assert (
        body["saved"]["amount"] == 0 and body["frequency"] == "weekly" and body["withdrawal_rule"] == "free"
    )
    assert body["next_instalment"]["on"] == split_world.today.isoformat()
    again = _create(client, split_world.due.public_id, withdrawal_rule="free")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == body["id"] and SplitPlan.objects.count() == 1
    other_key = _create(client, split_world.due.public_id, key="k-2")
    assert other_key.status_code == 409 and other_key.json()["code"] == "split_plan_exists"
    assert other_key["Content-Type"] == "application/problem+json"


def test_bodies_are_strict_and_refusals_are_problem_details(split_world):
    client = bearer_client(split_world.tenant)
    unknown = _create(client, split_world.due.public_id, surprise=1)
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["code"] == "unknown_field"
    bad = client.post(
        BASE, {"due": str(split_world.due.public_id), "frequency": "monthly"}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "frequency"
    stranger = bearer_client(UserFactory())
    refused = _create(stranger, split_world.due.public_id)
    assert refused.status_code == 404 and refused["Content-Type"] == "application/problem+json"


def test_list_detail_schedule_and_another_user_s_plan(split_world, fund):
    client = bearer_client(split_world.tenant)
    plan_id = _create(client, split_world.due.public_id).json()["id"]
    fund(split_world.wallet, 50_000)
    run_due_debits(split_world.today)
    listed = client.get(BASE).json()["results"]
    assert [p["id"] for p in listed] == [plan_id]
    detail = client.get(f"{BASE}/{plan_id}").json()
    schedule = client.get(f"{BASE}/{plan_id}/schedule").json()
    assert detail["saved"]["amount"] == schedule[0]["amount"]["amount"] and schedule[0]["status"] == "paid"
    assert sum(row["amount"]["amount"] for row in schedule) == detail["target"]["amount"]
    stranger = bearer_client(UserFactory())
    assert stranger.get(f"{BASE}/{plan_id}").status_code == 404
    assert stranger.get(f"{BASE}/{plan_id}/schedule").status_code == 404
    assert stranger.post(f"{BASE}/{plan_id}/cancel").status_code == 404
    assert stranger.get(BASE).json()["results"] == []


def test_pause_resume_cancel_and_withdraw_by_rest(split_world, fund):
    client = bearer_client(split_world.tenant)
    plan_id = _create(client, split_world.due.public_id, withdrawal_rule="fee").json()["id"]
    fund(split_world.wallet, 50_000)
    run_due_debits(split_world.today)
    assert client.post(f"{BASE}/{plan_id}/pause").json()["status"] == "paused"
    assert client.post(f"{BASE}/{plan_id}/pause").status_code == 409
    assert client.post(f"{BASE}/{plan_id}/resume").json()["status"] == "active"
    assert client.post(f"{BASE}/{plan_id}/cancel").json()["status"] == "cancelled"
    withdrawn = client.post(f"{BASE}/{plan_id}/withdraw", HTTP_IDEMPOTENCY_KEY="w-1")
    assert withdrawn.status_code == 200, withdrawn.json()
    body = withdrawn.json()
    assert body["plan"]["status"] == "withdrawn" and body["plan"]["saved"]["amount"] == 0
    assert body["returned"]["amount"] + body["fee"]["amount"] > 0 and body["fee"]["amount"] >= 0
    assert ledger.balance(account=split_world.wallet.account).posted == 50_000 - body["fee"]["amount"]
    replay = client.post(f"{BASE}/{plan_id}/withdraw", HTTP_IDEMPOTENCY_KEY="w-1")
    assert replay.json() == body  # the money moved once


def test_graphql_plans_and_mutations(split_world, fund):
    tenant = bearer_client(split_world.tenant)
    created = gql(
        tenant,
        "mutation($due: UUID!) { walletSplitCreatePlan(dueId: $due, frequency: DAILY, withdrawalRule: LOCKED) "
        "{ ok errors { code } plan { id status target { amount currency } nextInstalment { on amount { amount } } } } }",
        {"due": str(split_world.due.public_id)},
    )["walletSplitCreatePlan"]
    assert created["ok"], created
    plan_id = created["plan"]["id"]
    fund(split_world.wallet, 50_000)
    run_due_debits(split_world.today)
    data = gql(tenant, "{ walletSplitPlans { id saved { amount } streak schedule { status } } }")
    assert data["walletSplitPlans"][0]["id"] == plan_id and data["walletSplitPlans"][0]["streak"] == 1
    locked = gql(
        tenant,
        "mutation($id: UUID!) { walletSplitWithdrawPlan(planId: $id) { ok errors { code } } }",
        {"id": plan_id},
    )["walletSplitWithdrawPlan"]
    assert not locked["ok"] and locked["errors"][0]["code"] == "split_withdrawal_locked"
    for field, status in (
        ("walletSplitPausePlan", "paused"),
        ("walletSplitResumePlan", "active"),
        ("walletSplitCancelPlan", "cancelled"),
    ):
        out = gql(
            tenant,
            f"mutation($id: UUID!) {{ {field}(planId: $id) {{ ok plan {{ status }} }} }}",
            {"id": plan_id},
        )
        assert out[field]["plan"]["status"] == status, out
    stranger = bearer_client(UserFactory())
    assert gql(stranger, "query($id: UUID!) { walletSplitPlan(planId: $id) { id } }", {"id": plan_id}) == {
        "walletSplitPlan": None
    }
    refused = gql(
        stranger,
        "mutation($id: UUID!) { walletSplitCancelPlan(planId: $id) { ok errors { code } } }",
        {"id": plan_id},
    )["walletSplitCancelPlan"]
    assert not refused["ok"] and refused["errors"][0]["code"] == "not_found"
