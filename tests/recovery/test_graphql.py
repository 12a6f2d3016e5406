"""GraphQL of recovery: the same scoping as REST (a collector sees only their cases, another
organization sees nothing), typed errors in mutation payloads, cash counted once per
idempotency key, list query ceilings."""

import json

import pytest

from apps.recovery.models import CashCollection, Promise
from tests.helpers import bearer_client, gql
from tests.identity.factories import UserFactory

from .conftest import open_case

pytestmark = pytest.mark.django_db

CASES = """query($status: String, $q: String) {
  recoveryCases(status: $status, q: $q) {
    id leaseReference tenantName status amountOwed { amount currency formatted }
    collector { id name } organizationId
  }
}"""


def test_cases_are_scoped(case, unassigned_case, manager, collector, other_manager):
    everything = gql(bearer_client(manager), CASES)["recoveryCases"]
    assert {c["id"] for c in everything} == {str(case.public_id), str(unassigned_case.public_id)}
    mine = next(c for c in everything if c["id"] == str(case.public_id))
    assert mine["amountOwed"]["amount"] == 240_000 and mine["collector"]["name"] == "Koffi Recouvreur"
    assert {c["id"] for c in gql(bearer_client(manager), CASES, {"q": "awa"})["recoveryCases"]} == {
        str(unassigned_case.public_id)
    }
    assert [c["id"] for c in gql(bearer_client(collector), CASES)["recoveryCases"]] == [str(case.public_id)]
    assert gql(bearer_client(other_manager), CASES)["recoveryCases"] == []

    detail = """query($id: UUID!) { recoveryCase(caseId: $id) {
        id portalUrl promises { id } activePlan { id } openTasks { id } timeline { kind } } }"""
    got = gql(bearer_client(collector), detail, {"id": str(case.public_id)})["recoveryCase"]
    assert got["portalUrl"].endswith(f"/recover/{case.token}/") and got["timeline"] == [{"kind": "opened"}]
    assert (
        gql(bearer_client(collector), detail, {"id": str(unassigned_case.public_id)})["recoveryCase"] is None
    )
    assert gql(bearer_client(other_manager), detail, {"id": str(case.public_id)})["recoveryCase"] is None


def test_promise_in_the_past_is_a_typed_error(case, manager, clock):
    mutation = """mutation($id: UUID!, $on: Date!) {
      recoveryCreatePromise(caseId: $id, amount: 50000, promisedOn: $on) {
        ok errors { field code message } promise { id status amount { amount } } } }"""
    past = gql(bearer_client(manager), mutation, {"id": str(case.public_id), "on": "2026-03-01"})[
        "recoveryCreatePromise"
    ]
    assert past["ok"] is False and past["promise"] is None
    assert past["errors"][0]["code"] == "promise_in_past" and past["errors"][0]["field"] == "promised_on"
    assert past["errors"][0]["message"]
    made = gql(bearer_client(manager), mutation, {"id": str(case.public_id), "on": "2026-03-20"})[
        "recoveryCreatePromise"
    ]
    assert made["ok"] is True and made["promise"]["status"] == "pending"
    cancel = """mutation($id: UUID!) { recoveryCancelPromise(promiseId: $id) { ok errors { code } promise { status } } }"""
    assert (
        gql(bearer_client(manager), cancel, {"id": made["promise"]["id"]})["recoveryCancelPromise"][
            "promise"
        ]["status"]
        == "canceled"
    )


def test_plan_sum_mismatch_then_a_plan(case, manager, clock):
    mutation = """mutation($id: UUID!, $items: [RecoveryInstallmentInput!]!) {
      recoveryProposePlan(caseId: $id, installments: $items) {
        ok errors { field code } plan { id status total { amount } installments { seq amount } } } }"""
    wrong = gql(
        bearer_client(manager),
        mutation,
        {
            "id": str(case.public_id),
            "items": [{"dueOn": "2026-03-31", "amount": 1000}, {"dueOn": "2026-04-30", "amount": 1000}],
        },
    )["recoveryProposePlan"]
    assert wrong["ok"] is False and wrong["errors"][0]["code"] == "plan_sum_mismatch"
    right = gql(
        bearer_client(manager),
        mutation,
        {
            "id": str(case.public_id),
            "items": [{"dueOn": "2026-03-31", "amount": 140_000}, {"dueOn": "2026-04-30", "amount": 100_000}],
        },
    )["recoveryProposePlan"]
    assert right["ok"] and right["plan"]["total"]["amount"] == 240_000
    cancel = """mutation($id: UUID!) { recoveryCancelPlan(planId: $id) { ok plan { status } } }"""
    assert (
        gql(bearer_client(manager), cancel, {"id": right["plan"]["id"]})["recoveryCancelPlan"]["plan"][
            "status"
        ]
        == "canceled"
    )


def test_collector_field_work_and_cash_counted_once(case, unassigned_case, collector, clock):
    worklist = gql(
        bearer_client(collector),
        "{ recoveryWorklist(latitude: 6.35, longitude: 2.38) { case { id } score distanceM } }",
    )
    assert [i["case"]["id"] for i in worklist["recoveryWorklist"]] == [str(case.public_id)]

    cash = """mutation($id: UUID!, $key: String!) {
      recoveryCollectCash(caseId: $id, amount: 30000, idempotencyKey: $key) {
        ok errors { code field } cash { id receiptNumber amount { amount } } } }"""
    first = gql(bearer_client(collector), cash, {"id": str(case.public_id), "key": "tap-1"})[
        "recoveryCollectCash"
    ]
    again = gql(bearer_client(collector), cash, {"id": str(case.public_id), "key": "tap-1"})[
        "recoveryCollectCash"
    ]
    assert first["ok"] and again == first
    assert CashCollection.objects.filter(case=case).count() == 1
    hidden = gql(bearer_client(collector), cash, {"id": str(unassigned_case.public_id), "key": "tap-2"})[
        "recoveryCollectCash"
    ]
    assert hidden["ok"] is False and hidden["errors"][0]["code"] == "not_found"

    visit = """mutation($id: UUID!) {
      recoveryRecordVisit(caseId: $id, outcome: "absent", latitude: 6.3501, longitude: 2.3801, idempotencyKey: "v-1") {
        ok errors { code } visit { id outcome distanceM } } }"""
    done = gql(bearer_client(collector), visit, {"id": str(case.public_id)})["recoveryRecordVisit"]
    assert done["ok"] and done["visit"]["distanceM"] < 50
    call = """mutation($id: UUID!) {
      recoveryRecordCall(caseId: $id, outcome: "maybe", idempotencyKey: "c-1") { ok errors { field code } } }"""
    refused = gql(bearer_client(collector), call, {"id": str(case.public_id)})["recoveryRecordCall"]
    assert refused["ok"] is False and refused["errors"][0]["field"] == "outcome"


def test_manager_actions(case, manager, collector, agency, clock):
    notice = (
        """mutation($id: UUID!) { recoveryIssueFormalNotice(caseId: $id) { ok notice { number payBy } } }"""
    )
    assert (
        gql(bearer_client(manager), notice, {"id": str(case.public_id)})["recoveryIssueFormalNotice"][
            "notice"
        ]["number"]
        == "MED-2026-0001"
    )
    escalate = """mutation($id: UUID!) { recoveryEscalateCase(caseId: $id, kind: "lawyer", firm: "Cabinet Adjovi") {
        ok legalAction { id status } } }"""
    legal = gql(bearer_client(manager), escalate, {"id": str(case.public_id)})["recoveryEscalateCase"][
        "legalAction"
    ]
    update = """mutation($id: UUID!) { recoveryUpdateLegalAction(legalActionId: $id, status: "judgment", cost: 50000) {
        ok legalAction { status cost { amount } } } }"""
    assert gql(bearer_client(manager), update, {"id": legal["id"]})["recoveryUpdateLegalAction"][
        "legalAction"
    ] == {
        "status": "judgment",
        "cost": {"amount": 50_000},
    }
    note = """mutation($id: UUID!) { recoveryAddNote(caseId: $id, text: "Vu au marché", nextActionOn: "2026-03-12") {
        ok case { nextActionOn } } }"""
    assert (
        gql(bearer_client(manager), note, {"id": str(case.public_id)})["recoveryAddNote"]["case"][
            "nextActionOn"
        ]
        == "2026-03-12"
    )
    assign = """mutation($id: UUID!) { recoveryAssignCase(caseId: $id) { ok case { collector { id } } } }"""
    assert (
        gql(bearer_client(manager), assign, {"id": str(case.public_id)})["recoveryAssignCase"]["case"][
            "collector"
        ]
        is None
    )
    link = """mutation($id: UUID!) { recoveryCreatePayLink(caseId: $id, amount: 20000) { ok payLink { payUrl amount { amount } } } }"""
    assert (
        gql(bearer_client(manager), link, {"id": str(case.public_id)})["recoveryCreatePayLink"]["payLink"][
            "amount"
        ]["amount"]
        == 20_000
    )
    close = """mutation($id: UUID!) { recoveryCloseCase(caseId: $id, outcome: "settled") { ok case { status outcome } } }"""
    assert gql(bearer_client(manager), close, {"id": str(case.public_id)})["recoveryCloseCase"]["case"] == {
        "status": "closed",
        "outcome": "settled",
    }


def test_reports_and_ladder(case, manager, collector, agency, clock):
    ladder = gql(bearer_client(manager), "{ recoveryLadder { name steps { dayOffset action } } }")[
        "recoveryLadder"
    ]
    assert ladder["steps"][0] == {"dayOffset": -3, "action": "sms"}
    save = """mutation($org: UUID!) { recoverySaveLadder(organizationId: $org, name: "Courte",
        steps: [{dayOffset: 5, action: "sms"}, {dayOffset: 5, action: "sms"}]) { ok errors { code } ladder { name } } }"""
    twice = gql(bearer_client(manager), save, {"org": str(agency.public_id)})["recoverySaveLadder"]
    assert twice["ok"] is False and twice["errors"][0]["code"] == "ladder_invalid"
    aging = gql(
        bearer_client(manager),
        '{ recoveryAging(by: "tenant") { by totals { overdue } rows { label overdue } } }',
    )
    assert aging["recoveryAging"]["totals"][0]["overdue"] == 240_000
    dashboard = gql(
        bearer_client(manager),
        "{ recoveryDashboard { liveCases owed { amount } byCollector { collector { name } } } }",
    )
    assert dashboard["recoveryDashboard"]["liveCases"] == 1
    assert gql(bearer_client(collector), "{ recoveryDashboard { liveCases } }")["recoveryDashboard"] is None
    assert gql(bearer_client(collector), "{ recoveryLadder { name } }")["recoveryLadder"] is None


def test_handover_by_graphql(case, manager, collector, agency, clock):
    gql(
        bearer_client(collector),
        """mutation($id: UUID!) { recoveryCollectCash(caseId: $id, amount: 10000, idempotencyKey: "k") { ok } }""",
        {"id": str(case.public_id)},
    )
    mutation = """mutation($org: UUID!, $who: UUID!) {
      recoveryCreateHandover(organizationId: $org, collectorId: $who, declared: 10000, idempotencyKey: "h-1") {
        ok errors { code } handover { id status difference { amount } } } }"""
    variables = {"org": str(agency.public_id), "who": str(collector.public_id)}
    made = gql(bearer_client(manager), mutation, variables)["recoveryCreateHandover"]
    assert made["ok"] and made["handover"]["status"] == "balanced"
    assert gql(bearer_client(manager), mutation, variables)["recoveryCreateHandover"] == made
    assert gql(bearer_client(collector), mutation, variables)["recoveryCreateHandover"]["ok"] is False


def test_list_query_ceiling(
    case, manager, collector, prop, clock, estate_lease, django_assert_max_num_queries
):
    for n in range(6):
        open_case(estate_lease(manager, prop, UserFactory(), unit_label=f"G{n}"), collector=collector)
    client = bearer_client(manager)
    body = json.dumps({"query": CASES})
    with django_assert_max_num_queries(12):
        response = client.post("/graphql", body, content_type="application/json")
    assert len(response.json()["data"]["recoveryCases"]) == 7
    worklist = json.dumps({"query": "{ recoveryWorklist { case { id amountOwed { amount } } score } }"})
    with django_assert_max_num_queries(12):
        response = bearer_client(collector).post("/graphql", worklist, content_type="application/json")
    assert len(response.json()["data"]["recoveryWorklist"]) == 7
    assert not Promise.objects.exists()


def test_a_renamed_mutation_answers_under_its_old_name_too(case, manager, clock):
    """recoveryAddNote is the field; addRecoveryNote stays as its deprecated alias (the same
    payload type, the same service), so the apps keep working while they move."""
    client = bearer_client(manager)
    note = """mutation($id: UUID!, $text: String!) {
      %s(caseId: $id, text: $text) { ok errors { code } case { timeline { kind text } } } }"""
    new = gql(client, note % "recoveryAddNote", {"id": str(case.public_id), "text": "Appelé ce matin"})
    old = gql(client, note % "addRecoveryNote", {"id": str(case.public_id), "text": "Rappelé le soir"})
    assert new["recoveryAddNote"]["ok"] and old["addRecoveryNote"]["ok"]
    notes = [e["text"] for e in old["addRecoveryNote"]["case"]["timeline"] if e["kind"] == "note"]
    assert notes == ["Rappelé le soir", "Appelé ce matin"]

    fields = gql(
        client,
        """{ __type(name: "Mutation") { fields(includeDeprecated: true) {
             name isDeprecated deprecationReason args { name } type { name } } } }""",
    )["__type"]["fields"]
    by_name = {f["name"]: f for f in fields}
    assert by_name["recoveryAddNote"]["isDeprecated"] is False
    assert by_name["addRecoveryNote"]["isDeprecated"] is True
    assert by_name["addRecoveryNote"]["deprecationReason"] == "Use recoveryAddNote."
    assert (
        by_name["addRecoveryNote"]["type"]
        == by_name["recoveryAddNote"]["type"]
        == {"name": "AddRecoveryNote"}
    )
    assert by_name["addRecoveryNote"]["args"] == by_name["recoveryAddNote"]["args"]


def test_a_day_off_through_graphql(agency, manager, collector):
    mutation = """mutation($org: UUID!) {
      recoveryAddHoliday(organizationId: $org, date: "2026-08-01", name: "Fête de l'indépendance") {
        ok errors { code } holiday { date name } } }"""
    made = gql(bearer_client(manager), mutation, {"org": str(agency.public_id)})["recoveryAddHoliday"]
    assert made == {
        "ok": True,
        "errors": [],
        "holiday": {"date": "2026-08-01", "name": "Fête de l'indépendance"},
    }
    refused = gql(bearer_client(collector), mutation, {"org": str(agency.public_id)})["recoveryAddHoliday"]
    assert refused["ok"] is False and refused["holiday"] is None
