"""GraphQL of recovery: the same scoping as REST (a collector sees only their cases, another
organization sees nothing), typed errors in mutation payloads, cash counted once per
idempotency key, list query ceilings."""

import json

import pytest

from apps.recovery.models import CashCollection, Promise
from tests.estate.conftest import make_lease
from tests.estate.factories import UnitFactory
from tests.identity.factories import UserFactory

from .conftest import open_case
from .test_api import api

pytestmark = pytest.mark.django_db

CASES = """query($status: String, $q: String) {
  recoveryCases(status: $status, q: $q) {
    id leaseReference tenantName status amountOwed { amount currency formatted }
    collector { id name } organizationId
  }
}"""


def gql(user, query, variables=None):
    response = api(user).post(
        "/graphql",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def test_cases_are_scoped(case, unassigned_case, manager, collector, other_manager):
    everything = gql(manager, CASES)["recoveryCases"]
    assert {c["id"] for c in everything} == {str(case.public_id), str(unassigned_case.public_id)}
    mine = next(c for c in everything if c["id"] == str(case.public_id))
    assert mine["amountOwed"]["amount"] == 240_000 and mine["collector"]["name"] == "Koffi Recouvreur"
    assert {c["id"] for c in gql(manager, CASES, {"q": "awa"})["recoveryCases"]} == {
        str(unassigned_case.public_id)
    }
    assert [c["id"] for c in gql(collector, CASES)["recoveryCases"]] == [str(case.public_id)]
    assert gql(other_manager, CASES)["recoveryCases"] == []

    detail = """query($id: UUID!) { recoveryCase(caseId: $id) {
        id portalUrl promises { id } activePlan { id } openTasks { id } timeline { kind } } }"""
    got = gql(collector, detail, {"id": str(case.public_id)})["recoveryCase"]
    assert got["portalUrl"].endswith(f"/recover/{case.token}/") and got["timeline"] == [{"kind": "opened"}]
    assert gql(collector, detail, {"id": str(unassigned_case.public_id)})["recoveryCase"] is None
    assert gql(other_manager, detail, {"id": str(case.public_id)})["recoveryCase"] is None


def test_promise_in_the_past_is_a_typed_error(case, manager, clock):
    mutation = """mutation($id: UUID!, $on: Date!) {
      createRecoveryPromise(caseId: $id, amount: 50000, promisedOn: $on) {
        ok errors { field code message } promise { id status amount { amount } } } }"""
    past = gql(manager, mutation, {"id": str(case.public_id), "on": "2026-03-01"})["createRecoveryPromise"]
    assert past["ok"] is False and past["promise"] is None
    assert past["errors"][0]["code"] == "promise_in_past" and past["errors"][0]["field"] == "promised_on"
    assert past["errors"][0]["message"]
    made = gql(manager, mutation, {"id": str(case.public_id), "on": "2026-03-20"})["createRecoveryPromise"]
    assert made["ok"] is True and made["promise"]["status"] == "pending"
    cancel = """mutation($id: UUID!) { cancelRecoveryPromise(promiseId: $id) { ok errors { code } promise { status } } }"""
    assert (
        gql(manager, cancel, {"id": made["promise"]["id"]})["cancelRecoveryPromise"]["promise"]["status"]
        == "canceled"
    )


def test_plan_sum_mismatch_then_a_plan(case, manager, clock):
    mutation = """mutation($id: UUID!, $items: [RecoveryInstallmentInput!]!) {
      proposeRecoveryPlan(caseId: $id, installments: $items) {
        ok errors { field code } plan { id status total { amount } installments { seq amount } } } }"""
    wrong = gql(
        manager,
        mutation,
        {
            "id": str(case.public_id),
            "items": [{"dueOn": "2026-03-31", "amount": 1000}, {"dueOn": "2026-04-30", "amount": 1000}],
        },
    )["proposeRecoveryPlan"]
    assert wrong["ok"] is False and wrong["errors"][0]["code"] == "plan_sum_mismatch"
    right = gql(
        manager,
        mutation,
        {
            "id": str(case.public_id),
            "items": [{"dueOn": "2026-03-31", "amount": 140_000}, {"dueOn": "2026-04-30", "amount": 100_000}],
        },
    )["proposeRecoveryPlan"]
    assert right["ok"] and right["plan"]["total"]["amount"] == 240_000
    cancel = """mutation($id: UUID!) { cancelRecoveryPlan(planId: $id) { ok plan { status } } }"""
    assert (
        gql(manager, cancel, {"id": right["plan"]["id"]})["cancelRecoveryPlan"]["plan"]["status"]
        == "canceled"
    )


def test_collector_field_work_and_cash_counted_once(case, unassigned_case, collector, clock):
    worklist = gql(
        collector, "{ recoveryWorklist(latitude: 6.35, longitude: 2.38) { case { id } score distanceM } }"
    )
    assert [i["case"]["id"] for i in worklist["recoveryWorklist"]] == [str(case.public_id)]

    cash = """mutation($id: UUID!, $key: String!) {
      collectRecoveryCash(caseId: $id, amount: 30000, idempotencyKey: $key) {
        ok errors { code field } cash { id receiptNumber amount { amount } } } }"""
    first = gql(collector, cash, {"id": str(case.public_id), "key": "tap-1"})["collectRecoveryCash"]
    again = gql(collector, cash, {"id": str(case.public_id), "key": "tap-1"})["collectRecoveryCash"]
    assert first["ok"] and again == first
    assert CashCollection.objects.filter(case=case).count() == 1
    hidden = gql(collector, cash, {"id": str(unassigned_case.public_id), "key": "tap-2"})[
        "collectRecoveryCash"
    ]
    assert hidden["ok"] is False and hidden["errors"][0]["code"] == "not_found"

    visit = """mutation($id: UUID!) {
      recordRecoveryVisit(caseId: $id, outcome: "absent", latitude: 6.3501, longitude: 2.3801, idempotencyKey: "v-1") {
        ok errors { code } visit { id outcome distanceM } } }"""
    done = gql(collector, visit, {"id": str(case.public_id)})["recordRecoveryVisit"]
    assert done["ok"] and done["visit"]["distanceM"] < 50
    call = """mutation($id: UUID!) {
      recordRecoveryCall(caseId: $id, outcome: "maybe", idempotencyKey: "c-1") { ok errors { field code } } }"""
    refused = gql(collector, call, {"id": str(case.public_id)})["recordRecoveryCall"]
    assert refused["ok"] is False and refused["errors"][0]["field"] == "outcome"


def test_manager_actions(case, manager, collector, agency, clock):
    notice = (
        """mutation($id: UUID!) { issueRecoveryFormalNotice(caseId: $id) { ok notice { number payBy } } }"""
    )
    assert (
        gql(manager, notice, {"id": str(case.public_id)})["issueRecoveryFormalNotice"]["notice"]["number"]
        == "MED-2026-0001"
    )
    escalate = """mutation($id: UUID!) { escalateRecoveryCase(caseId: $id, kind: "lawyer", firm: "Cabinet Adjovi") {
        ok legalAction { id status } } }"""
    legal = gql(manager, escalate, {"id": str(case.public_id)})["escalateRecoveryCase"]["legalAction"]
    update = """mutation($id: UUID!) { updateRecoveryLegalAction(legalActionId: $id, status: "judgment", cost: 50000) {
        ok legalAction { status cost { amount } } } }"""
    assert gql(manager, update, {"id": legal["id"]})["updateRecoveryLegalAction"]["legalAction"] == {
        "status": "judgment",
        "cost": {"amount": 50_000},
    }
    note = """mutation($id: UUID!) { addRecoveryNote(caseId: $id, text: "Vu au marché", nextActionOn: "2026-03-12") {
        ok case { nextActionOn } } }"""
    assert (
        gql(manager, note, {"id": str(case.public_id)})["addRecoveryNote"]["case"]["nextActionOn"]
        == "2026-03-12"
    )
    assign = """mutation($id: UUID!) { assignRecoveryCase(caseId: $id) { ok case { collector { id } } } }"""
    assert (
        gql(manager, assign, {"id": str(case.public_id)})["assignRecoveryCase"]["case"]["collector"] is None
    )
    link = """mutation($id: UUID!) { createRecoveryPayLink(caseId: $id, amount: 20000) { ok payLink { payUrl amount { amount } } } }"""
    assert (
        gql(manager, link, {"id": str(case.public_id)})["createRecoveryPayLink"]["payLink"]["amount"][
            "amount"
        ]
        == 20_000
    )
    close = """mutation($id: UUID!) { closeRecoveryCase(caseId: $id, outcome: "settled") { ok case { status outcome } } }"""
    assert gql(manager, close, {"id": str(case.public_id)})["closeRecoveryCase"]["case"] == {
        "status": "closed",
        "outcome": "settled",
    }


def test_reports_and_ladder(case, manager, collector, agency, clock):
    ladder = gql(manager, "{ recoveryLadder { name steps { dayOffset action } } }")["recoveryLadder"]
    assert ladder["steps"][0] == {"dayOffset": -3, "action": "sms"}
    save = """mutation($org: UUID!) { saveRecoveryLadder(organizationId: $org, name: "Courte",
        steps: [{dayOffset: 5, action: "sms"}, {dayOffset: 5, action: "sms"}]) { ok errors { code } ladder { name } } }"""
    twice = gql(manager, save, {"org": str(agency.public_id)})["saveRecoveryLadder"]
    assert twice["ok"] is False and twice["errors"][0]["code"] == "ladder_invalid"
    aging = gql(manager, '{ recoveryAging(by: "tenant") { by totals { overdue } rows { label overdue } } }')
    assert aging["recoveryAging"]["totals"][0]["overdue"] == 240_000
    dashboard = gql(
        manager, "{ recoveryDashboard { liveCases owed { amount } byCollector { collector { name } } } }"
    )
    assert dashboard["recoveryDashboard"]["liveCases"] == 1
    assert gql(collector, "{ recoveryDashboard { liveCases } }")["recoveryDashboard"] is None
    assert gql(collector, "{ recoveryLadder { name } }")["recoveryLadder"] is None


def test_handover_by_graphql(case, manager, collector, agency, clock):
    gql(
        collector,
        """mutation($id: UUID!) { collectRecoveryCash(caseId: $id, amount: 10000, idempotencyKey: "k") { ok } }""",
        {"id": str(case.public_id)},
    )
    mutation = """mutation($org: UUID!, $who: UUID!) {
      createRecoveryHandover(organizationId: $org, collectorId: $who, declared: 10000, idempotencyKey: "h-1") {
        ok errors { code } handover { id status difference { amount } } } }"""
    variables = {"org": str(agency.public_id), "who": str(collector.public_id)}
    made = gql(manager, mutation, variables)["createRecoveryHandover"]
    assert made["ok"] and made["handover"]["status"] == "balanced"
    assert gql(manager, mutation, variables)["createRecoveryHandover"] == made
    assert gql(collector, mutation, variables)["createRecoveryHandover"]["ok"] is False


def test_list_query_ceiling(case, manager, collector, prop, clock, django_assert_max_num_queries):
    for n in range(6):
        open_case(
            make_lease(manager, UnitFactory(property=prop, label=f"G{n}"), UserFactory()), collector=collector
        )
    client = api(manager)
    body = json.dumps({"query": CASES})
    with django_assert_max_num_queries(12):
        response = client.post("/graphql", body, content_type="application/json")
    assert len(response.json()["data"]["recoveryCases"]) == 7
    worklist = json.dumps({"query": "{ recoveryWorklist { case { id amountOwed { amount } } score } }"})
    with django_assert_max_num_queries(12):
        response = api(collector).post("/graphql", worklist, content_type="application/json")
    assert len(response.json()["data"]["recoveryWorklist"]) == 7
    assert not Promise.objects.exists()
