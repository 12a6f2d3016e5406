"""REST of recovery: the manager's cases (filters, detail, timeline, actions), the collector
app (worklist, calls, visits, cash with Idempotency-Key), handovers, the ladder, reports;
problem details with stable codes; a collector sees only their cases; another
organization gets 404; lists keep a query ceiling."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from apps.recovery.models import Case, CashCollection, CollectorTask, Promise
from apps.recovery.services import ladder_default
from tests.helpers import bearer_client
from tests.identity.factories import UserFactory

from .conftest import open_case

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(name, kwargs={"version": "v1", **kwargs})


def case_url(name, case, **kwargs):
    return url(name, case_id=case.public_id, **kwargs)


def ids(response):
    return {row["id"] for row in response.json()["results"]}


# --- cases -----------------------------------------------------------------------------------------


def test_manager_lists_and_filters_cases(case, unassigned_case, manager, collector):
    client = bearer_client(manager)
    everything = client.get(url("recovery-cases"))
    assert everything.status_code == 200
    assert ids(everything) == {str(case.public_id), str(unassigned_case.public_id)}
    row = next(r for r in everything.json()["results"] if r["id"] == str(case.public_id))
    assert row["amount_owed"] == {
        "amount": 240_000,
        "currency": "XOF",
        "formatted": row["amount_owed"]["formatted"],
    }
    assert row["collector"] == {"id": str(collector.public_id), "name": "Koffi Recouvreur"}
    assert row["tenant"]["name"] == "Brice Zinsou" and row["status"] == "open"
    assert "pk" not in row and isinstance(row["lease"], str)

    assert ids(client.get(url("recovery-cases"), {"collector": str(collector.public_id)})) == {
        str(case.public_id)
    }
    assert ids(client.get(url("recovery-cases"), {"q": "awa"})) == {str(unassigned_case.public_id)}
    assert len(ids(client.get(url("recovery-cases"), {"status": "live"}))) == 2
    assert ids(client.get(url("recovery-cases"), {"status": "closed"})) == set()
    assert len(ids(client.get(url("recovery-cases"), {"without_next_action": "true"}))) == 0
    for query, field in (({"status": "lost"}, "status"), ({"colour": "red"}, "colour")):
        bad = client.get(url("recovery-cases"), query)
        assert bad.status_code == 400 and [e["field"] for e in bad.json()["errors"]] == [field]


def test_collector_sees_only_assigned_cases(case, unassigned_case, collector):
    client = bearer_client(collector)
    assert ids(client.get(url("recovery-cases"))) == {str(case.public_id)}
    assert client.get(case_url("recovery-case", case)).status_code == 200
    other = client.get(case_url("recovery-case", unassigned_case))
    assert other.status_code == 404 and other["Content-Type"] == "application/problem+json"
    for name, body in (("recovery-case-notes", {"text": "x"}), ("recovery-case-cash", {"amount": 1000})):
        response = client.post(
            case_url(name, unassigned_case), body, format="json", HTTP_IDEMPOTENCY_KEY="k1"
        )
        assert response.status_code == 404
    assert not CashCollection.objects.exists()


def test_other_organization_gets_404_everywhere(case, other_manager, agency):
    client = bearer_client(other_manager)
    assert ids(client.get(url("recovery-cases"))) == set()
    assert client.get(case_url("recovery-case", case)).status_code == 404
    assert client.get(case_url("recovery-case-timeline", case)).status_code == 404
    assert (
        client.post(case_url("recovery-case-close", case), {"outcome": "settled"}, format="json").status_code
        == 404
    )
    assert client.get(url("recovery-aging"), {"organization": str(agency.public_id)}).status_code == 404
    assert client.get(url("recovery-dashboard"), {"organization": str(agency.public_id)}).status_code == 404
    assert client.get(url("recovery-ladder"), {"organization": str(agency.public_id)}).status_code == 404
    case.refresh_from_db()
    assert case.status == "open"


def test_detail_and_timeline(case, manager):
    client = bearer_client(manager)
    detail = client.get(case_url("recovery-case", case)).json()
    assert detail["portal_url"].endswith(f"/recover/{case.token}/")
    assert detail["promises"] == [] and detail["active_plan"] is None
    assert detail["notices"] == [] and detail["legal_actions"] == [] and detail["open_tasks"] == []
    client.post(case_url("recovery-case-notes", case), {"text": "Appelé, rappeler lundi"}, format="json")
    timeline = client.get(case_url("recovery-case-timeline", case)).json()["results"]
    assert [e["kind"] for e in timeline] == ["note", "opened"]
    assert timeline[0]["actor"]["id"] == str(manager.public_id)
    assert timeline[1]["amount"]["amount"] == 240_000


def test_assign_and_unassign(unassigned_case, manager, collector, agency):
    client = bearer_client(manager)
    response = client.post(
        case_url("recovery-case-assign", unassigned_case),
        {"collector": str(collector.public_id)},
        format="json",
    )
    assert response.status_code == 200 and response.json()["collector"]["id"] == str(collector.public_id)
    assert str(unassigned_case.public_id) in ids(bearer_client(collector).get(url("recovery-cases")))

    stranger = UserFactory()
    refused = client.post(
        case_url("recovery-case-assign", unassigned_case),
        {"collector": str(stranger.public_id)},
        format="json",
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "collector"
    cleared = client.post(
        case_url("recovery-case-assign", unassigned_case), {"collector": None}, format="json"
    )
    assert cleared.json()["collector"] is None
    # a collector cannot reassign their own case
    assert (
        bearer_client(collector)
        .post(case_url("recovery-case-assign", unassigned_case), {"collector": None}, format="json")
        .status_code
        == 404
    )


def test_note_sets_the_next_action(case, manager, clock):
    response = bearer_client(manager).post(
        case_url("recovery-case-notes", case),
        {"text": "Passera à l'agence", "next_action_on": "2026-03-16"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["kind"] == "note"
    case.refresh_from_db()
    assert case.next_action_on == date(2026, 3, 16)
    past = bearer_client(manager).post(
        case_url("recovery-case-notes", case), {"text": "x", "next_action_on": "2026-03-01"}, format="json"
    )
    assert past.status_code == 400 and past.json()["errors"][0]["field"] == "next_action_on"


def test_promise_in_the_past_is_a_clear_problem(case, manager, clock):
    response = bearer_client(manager).post(
        case_url("recovery-case-promises", case),
        {"amount": 50_000, "promised_on": "2026-03-09"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "promise_in_past"
    assert problem["errors"] == [
        {
            "field": "promised_on",
            "code": "promise_in_past",
            "message": "A promise must be dated today or later.",
        }
    ]
    assert not Promise.objects.exists()


def test_promise_made_then_canceled(case, manager, collector, clock):
    response = bearer_client(collector).post(
        case_url("recovery-case-promises", case),
        {"amount": 80_000, "promised_on": "2026-03-20"},
        format="json",
    )
    assert response.status_code == 201
    promise = response.json()
    assert promise["amount"]["amount"] == 80_000 and promise["status"] == "pending"
    assert promise["channel"] == "collector"
    case.refresh_from_db()
    assert case.status == "promised"
    too_much = bearer_client(manager).post(
        case_url("recovery-case-promises", case),
        {"amount": 999_999, "promised_on": "2026-03-20"},
        format="json",
    )
    assert too_much.status_code == 400 and too_much.json()["code"] == "promise_amount_invalid"
    assert (
        bearer_client(manager).get(case_url("recovery-case", case)).json()["promises"][0]["id"]
        == promise["id"]
    )

    # only a manager cancels
    assert (
        bearer_client(collector).post(url("recovery-promise-cancel", promise_id=promise["id"])).status_code
        == 403
    )
    canceled = bearer_client(manager).post(url("recovery-promise-cancel", promise_id=promise["id"]))
    assert canceled.status_code == 200 and canceled.json()["status"] == "canceled"
    again = bearer_client(manager).post(url("recovery-promise-cancel", promise_id=promise["id"]))
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"
    case.refresh_from_db()
    assert case.status == "open"


def test_plan_must_add_up_to_the_debt(case, manager, clock):
    client = bearer_client(manager)
    wrong = client.post(
        case_url("recovery-case-plans", case),
        {
            "installments": [
                {"due_on": "2026-03-31", "amount": 100_000},
                {"due_on": "2026-04-30", "amount": 100_000},
            ]
        },
        format="json",
    )
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "plan_sum_mismatch"
    assert wrong.json()["errors"][0]["field"] == "installments"
    backwards = client.post(
        case_url("recovery-case-plans", case),
        {
            "installments": [
                {"due_on": "2026-04-30", "amount": 120_000},
                {"due_on": "2026-03-31", "amount": 120_000},
            ]
        },
        format="json",
    )
    assert backwards.status_code == 400 and backwards.json()["code"] == "plan_dates_invalid"

    right = client.post(
        case_url("recovery-case-plans", case),
        {
            "installments": [
                {"due_on": "2026-03-31", "amount": 120_000},
                {"due_on": "2026-04-30", "amount": 120_000},
            ]
        },
        format="json",
    )
    assert right.status_code == 201
    plan = right.json()
    assert plan["status"] == "proposed" and plan["total"]["amount"] == 240_000
    assert [(i["seq"], i["amount"]["amount"]) for i in plan["installments"]] == [(1, 120_000), (2, 120_000)]
    detail = client.get(case_url("recovery-case", case)).json()
    assert detail["active_plan"]["id"] == plan["id"]
    canceled = client.post(url("recovery-plan-cancel", plan_id=plan["id"]))
    assert canceled.status_code == 200 and canceled.json()["status"] == "canceled"


def test_pay_link_for_part_of_the_debt(case, manager, settings):
    client = bearer_client(manager)
    response = client.post(case_url("recovery-case-pay-link", case), {"amount": 50_000}, format="json")
    assert response.status_code == 201
    link = response.json()
    assert link["amount"]["amount"] == 50_000 and "/pay/" in link["pay_url"] and link["intent"]
    # the whole debt (240 000), paid from the tenant's own MoMo: no e-money limit applies
    whole = client.post(case_url("recovery-case-pay-link", case), {}, format="json")
    assert whole.status_code == 201 and whole.json()["amount"]["amount"] == 240_000
    # above the per-payment anti-fraud cap: refused clearly, with its code
    settings.PAYMENT_MAX_AMOUNT = {"*": {"XOF": 200_000}}
    capped = client.post(case_url("recovery-case-pay-link", case), {"amount": 210_000}, format="json")
    assert capped.status_code == 400 and capped.json()["code"] == "payment_amount_above_limit"
    too_much = client.post(case_url("recovery-case-pay-link", case), {"amount": 240_001}, format="json")
    assert too_much.status_code == 400 and too_much.json()["errors"][0]["field"] == "amount"


def test_formal_notice_issued_and_downloaded(case, manager, collector, clock):
    client = bearer_client(manager)
    response = client.post(case_url("recovery-case-notices", case), {"pay_within_days": 8}, format="json")
    assert response.status_code == 201
    notice = response.json()
    assert notice["number"] == "MED-2026-0001" and notice["pay_by"] == "2026-03-18"
    assert notice["amount"]["amount"] == 240_000
    pdf = client.get(notice["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client.get(case_url("recovery-notice-pdf", case, number="MED-2026-0999")).status_code == 404
    # a collector may read the notice of their case but not issue one
    assert bearer_client(collector).get(notice["pdf"]).status_code == 200
    assert (
        bearer_client(collector).post(case_url("recovery-case-notices", case), {}, format="json").status_code
        == 403
    )
    assert client.get(case_url("recovery-case", case)).json()["notices"][0]["number"] == "MED-2026-0001"


def test_legal_escalation_and_update(case, manager):
    client = bearer_client(manager)
    response = client.post(
        case_url("recovery-case-legal", case),
        {"kind": "bailiff", "firm": "Me Houngbédji", "contact": "+22997000000", "notes": "Dossier complet"},
        format="json",
    )
    assert response.status_code == 201
    legal = response.json()
    assert legal["status"] == "referred" and legal["firm"] == "Me Houngbédji"
    case.refresh_from_db()
    assert case.status == "legal"
    patched = client.patch(
        url("recovery-legal", legal_id=legal["id"]),
        {"status": "in_progress", "reference": "HJ-2026-17", "cost": 35_000},
        format="json",
    )
    assert patched.status_code == 200
    assert patched.json()["status"] == "in_progress" and patched.json()["cost"]["amount"] == 35_000
    bad = client.patch(url("recovery-legal", legal_id=legal["id"]), {"status": "won"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "status"


def test_close_as_settled(case, manager):
    client = bearer_client(manager)
    wrong = client.post(case_url("recovery-case-close", case), {"outcome": "paid"}, format="json")
    assert wrong.status_code == 400
    response = client.post(
        case_url("recovery-case-close", case),
        {"outcome": "settled", "reason": "Accord amiable"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "closed" and response.json()["outcome"] == "settled"
    again = client.post(case_url("recovery-case-close", case), {"outcome": "settled"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "case_closed"


def test_export_csv_in_french(case, unassigned_case, manager, collector):
    response = bearer_client(manager).get(
        url("recovery-cases-export"), {"collector": str(collector.public_id)}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Dossier;Référence du bail;Locataire;Téléphone;Bien")
    assert len(lines) == 2 and "Brice Zinsou" in lines[1] and ";240000;" in lines[1]
    assert "Koffi Recouvreur" in lines[1]


# --- the collector app ---------------------------------------------------------------------------------


def test_worklist_of_the_collector(case, unassigned_case, collector, clock):
    CollectorTask.objects.create(case=case, collector=collector, kind="visit", due_on=clock)
    response = bearer_client(collector).get(
        url("recovery-worklist"), {"latitude": "6.351", "longitude": "2.381"}
    )
    assert response.status_code == 200
    items = response.json()
    assert [i["case"] for i in items] == [str(case.public_id)]
    assert items[0]["tasks"][0]["kind"] == "visit" and items[0]["amount_owed"]["amount"] == 240_000
    bad = bearer_client(collector).get(url("recovery-worklist"), {"latitude": "95"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "latitude"


def test_call_and_visit_need_a_key_and_replay(case, collector, clock):
    client = bearer_client(collector)
    missing = client.post(case_url("recovery-case-calls", case), {"outcome": "no_answer"}, format="json")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "Idempotency-Key"

    call = client.post(
        case_url("recovery-case-calls", case),
        {"outcome": "reached", "note": "Paiera vendredi"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="call-1",
    )
    retry = client.post(
        case_url("recovery-case-calls", case),
        {"outcome": "reached", "note": "Paiera vendredi"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="call-1",
    )
    assert call.status_code == retry.status_code == 201
    assert retry.json() == call.json() and retry["Idempotent-Replayed"] == "true"
    assert case.calls.count() == 1

    task = CollectorTask.objects.create(case=case, collector=collector, kind="visit", due_on=clock)
    body = {"outcome": "absent", "latitude": "6.350100", "longitude": "2.380100", "accuracy_m": 12}
    visit = client.post(
        case_url("recovery-case-visits", case), body, format="json", HTTP_IDEMPOTENCY_KEY="visit-1"
    )
    assert visit.status_code == 201
    assert visit.json()["distance_m"] is not None and visit.json()["distance_m"] < 50
    again = client.post(
        case_url("recovery-case-visits", case), body, format="json", HTTP_IDEMPOTENCY_KEY="visit-1"
    )
    assert again.json() == visit.json() and case.visits.count() == 1
    changed = client.post(
        case_url("recovery-case-visits", case),
        {**body, "outcome": "refused"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="visit-1",
    )
    assert changed.status_code == 409 and changed.json()["code"] == "idempotency_key_reused"
    task.refresh_from_db()
    assert task.status == "done"
    off_the_map = client.post(
        case_url("recovery-case-visits", case),
        {**body, "latitude": "91"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="visit-2",
    )
    assert off_the_map.status_code == 400


def test_cash_retried_with_the_same_key_counts_once(
    case, collector, manager, clock, django_capture_on_commit_callbacks
):
    client = bearer_client(collector)
    body = {"amount": 80_000, "latitude": "6.35", "longitude": "2.38"}
    with django_capture_on_commit_callbacks(execute=True):  # the payment event moves the case
        first = client.post(
            case_url("recovery-case-cash", case), body, format="json", HTTP_IDEMPOTENCY_KEY="cash-1"
        )
    second = client.post(
        case_url("recovery-case-cash", case), body, format="json", HTTP_IDEMPOTENCY_KEY="cash-1"
    )
    assert first.status_code == 201 and second.status_code == 201
    assert second.json() == first.json() and second["Idempotent-Replayed"] == "true"
    assert first.json()["receipt_number"] and first.json()["amount"]["amount"] == 80_000
    assert CashCollection.objects.filter(case=case).count() == 1
    case.refresh_from_db()
    assert case.recovered == 80_000 and case.amount_owed == 160_000
    over = client.post(
        case_url("recovery-case-cash", case),
        {"amount": 500_000},
        format="json",
        HTTP_IDEMPOTENCY_KEY="cash-2",
    )
    assert over.status_code == 400 and over.json()["errors"][0]["field"] == "amount"
    no_key = client.post(case_url("recovery-case-cash", case), {"amount": 1000}, format="json")
    assert no_key.status_code == 400
    assert CashCollection.objects.filter(case=case).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_identical_cash_requests_at_once_count_once(
    agency, manager, collector, prop, tenant, time_machine, estate_lease
):
    time_machine.move_to("2026-03-10T11:00:00+00:00", tick=False)
    lease = estate_lease(manager, prop, tenant, unit_label="D4")
    ladder_default(organization_id=agency.pk)
    case = open_case(lease, collector=collector)
    path = case_url("recovery-case-cash", case)
    barrier = threading.Barrier(2)
    results = []

    def post():
        try:
            client = bearer_client(collector)
            barrier.wait(timeout=10)
            results.append(
                client.post(path, {"amount": 40_000}, format="json", HTTP_IDEMPOTENCY_KEY="same-tap")
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(r.status_code for r in results) == [201, 201]
    assert results[0].json() == results[1].json()
    assert CashCollection.objects.filter(case=case).count() == 1
    case.refresh_from_db()
    assert case.recovered == 40_000


def test_complete_a_task(case, collector, unassigned_case, clock):
    task = CollectorTask.objects.create(case=case, collector=collector, kind="call", due_on=clock)
    hidden = CollectorTask.objects.create(case=unassigned_case, kind="call", due_on=clock)
    response = bearer_client(collector).post(url("recovery-task-complete", task_id=task.public_id))
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert (
        bearer_client(collector).post(url("recovery-task-complete", task_id=hidden.public_id)).status_code
        == 404
    )


# --- handovers -----------------------------------------------------------------------------------------


def test_handover_checked_against_the_ledger(case, collector, manager, agency, clock):
    bearer_client(collector).post(
        case_url("recovery-case-cash", case), {"amount": 60_000}, format="json", HTTP_IDEMPOTENCY_KEY="c1"
    )
    client = bearer_client(manager)
    query = {"organization": str(agency.public_id), "collector": str(collector.public_id)}
    preview = client.get(url("recovery-handover-preview"), query)
    assert preview.status_code == 200
    assert preview.json()["collections"] == 1 and preview.json()["ledger_balance"]["amount"] == 60_000

    over = client.post(
        url("recovery-handovers"), {**query, "declared": 70_000}, format="json", HTTP_IDEMPOTENCY_KEY="h0"
    )
    assert over.status_code == 400 and over.json()["code"] == "handover_over_collected"
    body = {**query, "declared": 55_000, "note": "Il manque 5 000"}
    made = client.post(url("recovery-handovers"), body, format="json", HTTP_IDEMPOTENCY_KEY="h1")
    assert made.status_code == 201
    assert made.json()["status"] == "short" and made.json()["difference"]["amount"] == 5_000
    replay = client.post(url("recovery-handovers"), body, format="json", HTTP_IDEMPOTENCY_KEY="h1")
    assert replay.json() == made.json()
    listed = client.get(url("recovery-handovers")).json()["results"]
    assert [h["id"] for h in listed] == [made.json()["id"]]
    assert [h["id"] for h in bearer_client(collector).get(url("recovery-handovers")).json()["results"]] == [
        made.json()["id"]
    ]
    # the collector may not confirm their own handover
    assert bearer_client(collector).get(url("recovery-handover-preview"), query).status_code == 404


# --- ladder and reports ------------------------------------------------------------------------------


def test_ladder_read_and_replaced(ladder, manager, agency, collector):
    client = bearer_client(manager)
    got = client.get(url("recovery-ladder"))
    assert got.status_code == 200
    assert [(s["day_offset"], s["action"]) for s in got.json()["steps"]][:2] == [(-3, "sms"), (3, "sms")]
    body = {
        "organization": str(agency.public_id),
        "name": "Échelle courte",
        "quiet_start": "21:00:00",
        "quiet_end": "07:00:00",
        "skip_sundays": False,
        "steps": [
            {"day_offset": 2, "action": "sms", "label": "Relance"},
            {"day_offset": 20, "action": "formal_notice", "pay_within_days": 10, "min_amount": 50_000},
        ],
    }
    saved = client.put(url("recovery-ladder"), body, format="json")
    assert saved.status_code == 200
    ladder_out = saved.json()
    assert ladder_out["name"] == "Échelle courte" and ladder_out["skip_sundays"] is False
    assert [(s["day_offset"], s["action"]) for s in ladder_out["steps"]] == [
        (2, "sms"),
        (20, "formal_notice"),
    ]
    invalid = client.put(
        url("recovery-ladder"),
        {**body, "steps": [{"day_offset": -2, "action": "visit"}]},
        format="json",
    )
    assert invalid.status_code == 400 and invalid.json()["code"] == "ladder_invalid"
    assert bearer_client(collector).put(url("recovery-ladder"), body, format="json").status_code == 404


def test_holiday_added(ladder, manager, agency):
    response = bearer_client(manager).post(
        url("recovery-holidays"),
        {"organization": str(agency.public_id), "date": "2026-08-01", "name": "Fête"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["name"] == "Fête"


def test_aging_and_dashboard(case, unassigned_case, manager, collector, agency, clock):
    client = bearer_client(manager)
    aging = client.get(url("recovery-aging"), {"by": "lease"})
    assert aging.status_code == 200
    report = aging.json()
    assert report["by"] == "lease" and len(report["rows"]) == 2
    assert report["totals"][0]["overdue"] == 480_000
    assert client.get(url("recovery-aging"), {"by": "colour"}).status_code == 400

    dashboard = client.get(url("recovery-dashboard"), {"organization": str(agency.public_id)})
    assert dashboard.status_code == 200
    d = dashboard.json()
    assert d["live_cases"] == 2 and d["owed"]["amount"] == 480_000
    assert d["by_collector"][0]["collector"] == str(collector.public_id)
    assert d["aging"]["totals"][0]["overdue"] == 480_000
    assert bearer_client(collector).get(url("recovery-dashboard")).status_code == 404
    assert bearer_client(collector).get(url("recovery-aging")).status_code == 404


# --- query ceilings --------------------------------------------------------------------------------------


def test_lists_have_a_query_ceiling(
    case, manager, collector, prop, clock, estate_lease, django_assert_max_num_queries
):
    for n in range(6):
        lease = estate_lease(manager, prop, UserFactory(), unit_label=f"Q{n}")
        open_case(lease, collector=collector)
    for c in Case.objects.all():
        CollectorTask.objects.create(case=c, collector=collector, kind="call", due_on=clock)
    manager_client, collector_client = bearer_client(manager), bearer_client(collector)
    manager_client.post(case_url("recovery-case-notes", case), {"text": "a"}, format="json")
    manager_client.post(case_url("recovery-case-notes", case), {"text": "b"}, format="json")
    checks = [
        (manager_client, url("recovery-cases")),
        (manager_client, url("recovery-cases-export")),
        (manager_client, case_url("recovery-case-timeline", case)),
        (manager_client, url("recovery-handovers")),
        (manager_client, case_url("recovery-case", case)),
        (collector_client, url("recovery-cases")),
        (collector_client, url("recovery-worklist")),
    ]
    for client, path in checks:
        with django_assert_max_num_queries(14):
            response = client.get(path)
        assert response.status_code == 200, path
    assert len(ids(manager_client.get(url("recovery-cases")))) == 7
