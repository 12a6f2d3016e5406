"""Recovery's pages: the manager's dashboard, cases and case actions, the ladder and the cash
handovers; the collector's field pages; the debtor portal. Each renders for the right user,
another organization's case (or a case not assigned to the collector) is a 404, a service's
refusal is a form error, and the portal's payment creates an intent for the chosen amount.
The calendar is 10 March 2026 (tests/recovery/conftest.py): January to March are past due."""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.urls import reverse

from apps.identity import api as identity
from apps.payments import api as payments
from apps.payments.models import PaymentIntent
from apps.recovery import services
from apps.recovery.models import Call, Case, CaseEvent, Holiday, PaymentPlan, Promise
from tests.identity.conftest import SmsInbox

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def text(response) -> str:
    return html.unescape(response.content.decode()).replace(NBSP, " ").replace("\u202f", " ")


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


def case_url(case, action: str = "") -> str:
    if action:
        return reverse("manager:recovery-case-action", args=[case.public_id, action])
    return reverse("manager:recovery-case", args=[case.public_id])


# --- manager pages ---------------------------------------------------------------------------------


def test_dashboard_shows_the_month_the_aging_and_the_cases_to_look_at(as_manager, case):
    response = as_manager.get(reverse("manager:recovery-dashboard"))
    body = text(response)
    assert response.status_code == 200
    assert "Recouvré ce mois-ci" in body and "Balance âgée" in body
    assert 'data-testid="by-step"' in body and 'data-testid="by-collector"' in body
    assert "Koffi Recouvreur" in body  # the collector's row
    assert "/manager/recovery/cases/export.csv" in body
    assert "240 000 FCFA" in body  # January to March, 80 000 each, past due


def test_case_list_filters_sorts_and_exports(as_manager, case, unassigned_case):
    response = as_manager.get(reverse("manager:recovery-cases"))
    body = text(response)
    assert response.status_code == 200 and "Brice Zinsou" in body and "Awa Dossou" in body
    only = text(as_manager.get(reverse("manager:recovery-cases"), {"q": "Awa"}))
    assert "Awa Dossou" in only and "Brice Zinsou" not in only
    collector = case.collector.public_id
    mine = text(
        as_manager.get(reverse("manager:recovery-cases"), {"collector": str(collector), "sort": "-age"})
    )
    assert "Brice Zinsou" in mine and "Awa Dossou" not in mine
    export = as_manager.get(reverse("manager:recovery-cases-export"), {"q": "Brice"})
    csv_text = export.content.decode("utf-8-sig")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert csv_text.splitlines()[0].startswith("Dossier;Référence du bail;Locataire")
    assert "Brice Zinsou" in csv_text and "Awa Dossou" not in csv_text


def test_case_detail_renders_with_its_portal_link(as_manager, case):
    response = as_manager.get(case_url(case))
    body = text(response)
    assert response.status_code == 200
    assert "Brice Zinsou" in body and "240 000 FCFA" in body
    assert f"/recover/{case.token}/" in body
    assert "Proposer un échéancier" in body and "Clôturer le dossier" in body


def test_another_organization_case_is_a_404(client, other_manager, case):
    client.force_login(other_manager)
    assert client.get(case_url(case)).status_code == 404
    assert client.post(case_url(case, "note"), {"text": "x"}).status_code == 404
    listing = text(client.get(reverse("manager:recovery-cases")))
    assert "Brice Zinsou" not in listing


def test_a_collector_sees_only_assigned_cases(client, collector, case, unassigned_case):
    client.force_login(collector)
    assert client.get(case_url(case)).status_code == 200
    assert client.get(case_url(unassigned_case)).status_code == 404
    assert client.get(reverse("recovery:field-case", args=[unassigned_case.public_id])).status_code == 404
    assert client.get(reverse("recovery:field-case", args=[case.public_id])).status_code == 200
    # the dashboard is for those who read the whole organization: the collector goes to the field
    assert client.get(reverse("manager:recovery-dashboard")).url == reverse("recovery:field")


def test_anonymous_goes_to_the_login(client, case):
    response = client.get(case_url(case))
    assert response.status_code == 302 and "/login" in response.url


def test_a_promise_in_the_past_is_a_form_error(as_manager, case):
    response = as_manager.post(case_url(case, "promise"), {"amount": 50_000, "promised_on": "2026-03-01"})
    assert response.status_code == 200
    body = text(response)
    assert "Une promesse doit être datée d'aujourd'hui ou plus tard." in body
    assert 'data-field="promised_on"' in body
    assert not Promise.objects.filter(case=case).exists()


def test_a_plan_not_summing_to_the_debt_is_a_form_error(as_manager, case):
    response = as_manager.post(
        case_url(case, "plan"),
        {"date_1": "2026-03-20", "amount_1": 50_000, "date_2": "2026-04-20", "amount_2": 50_000},
    )
    assert response.status_code == 200
    assert "Les échéances doivent totaliser exactement la dette." in text(response)
    assert not PaymentPlan.objects.filter(case=case).exists()


def test_manager_actions_note_promise_plan_notice_legal_close(as_manager, case, collector):
    ok = as_manager.post(
        case_url(case, "note"), {"text": "Appelé, rappeler lundi", "next_action_on": "2026-03-16"}
    )
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.next_action_on == date(2026, 3, 16)
    as_manager.post(case_url(case, "assign"), {"collector": ""})
    case.refresh_from_db()
    assert case.collector_id is None
    as_manager.post(case_url(case, "assign"), {"collector": str(collector.public_id)})
    case.refresh_from_db()
    assert case.collector_id == collector.pk
    assert (
        as_manager.post(
            case_url(case, "promise"), {"amount": 80_000, "promised_on": "2026-03-20"}
        ).status_code
        == 302
    )
    assert Promise.objects.get(case=case).amount == 80_000
    plan = as_manager.post(
        case_url(case, "plan"),
        {"date_1": "2026-03-20", "amount_1": 120_000, "date_2": "2026-04-20", "amount_2": 120_000},
    )
    assert plan.status_code == 302 and PaymentPlan.objects.get(case=case).status == "proposed"
    assert as_manager.post(case_url(case, "notice"), {"pay_within_days": 8}).status_code == 302
    notice = case.notices.get()
    pdf = as_manager.get(reverse("manager:recovery-notice-pdf", args=[case.public_id, notice.number]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        as_manager.post(case_url(case, "legal"), {"kind": "bailiff", "firm": "Me Adjovi"}).status_code == 302
    )
    action = case.legal_actions.get()
    as_manager.post(
        case_url(case, "legal_update"),
        {"action": str(action.public_id), "status": "in_progress", "reference": "HJ-12", "cost": 25_000},
    )
    action.refresh_from_db()
    assert action.status == "in_progress" and action.cost == 25_000
    assert (
        as_manager.post(case_url(case, "close"), {"outcome": "settled", "reason": "Accord"}).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome == "settled"
    # a closed case refuses a note: a form error, not a 500
    refused = as_manager.post(case_url(case, "note"), {"text": "encore"})
    assert refused.status_code == 200


def test_whatsapp_link_shows_when_the_ladder_made_one(as_manager, case):
    CaseEvent.objects.create(
        case=case,
        kind="whatsapp",
        data={"url": "https://wa.me/22997000000?text=x"},
        happened_at=case.created_at,
    )
    assert 'data-testid="whatsapp-link"' in text(as_manager.get(case_url(case)))


def test_ladder_editor_saves_steps_and_adds_a_holiday(as_manager, case, agency):
    page = as_manager.get(reverse("manager:recovery-ladder"))
    assert page.status_code == 200 and "Jours chômés" in text(page)
    data = {
        "steps-TOTAL_FORMS": 2,
        "steps-INITIAL_FORMS": 0,
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 40,
        "steps-0-day_offset": 2,
        "steps-0-action": "sms",
        "steps-0-label": "Relance",
        "steps-0-pay_within_days": 8,
        "steps-0-min_amount": 0,
        "steps-1-day_offset": 30,
        "steps-1-action": "formal_notice",
        "steps-1-label": "MED",
        "steps-1-pay_within_days": 10,
        "steps-1-min_amount": 50_000,
        "name": "Mon échelle",
        "country": "bj",
        "quiet_start": "21:00",
        "quiet_end": "07:30",
        "skip_sundays": "on",
    }
    assert as_manager.post(reverse("manager:recovery-ladder"), data).status_code == 302
    ladder = services.ladder_default(organization_id=agency.pk)
    assert ladder.name == "Mon échelle" and ladder.skip_holidays is False
    assert [(s.day_offset, s.action) for s in ladder.steps.filter(is_active=True)] == [
        (2, "sms"),
        (30, "formal_notice"),
    ]
    refused = as_manager.post(
        reverse("manager:recovery-ladder"),
        {**data, "steps-0-day_offset": -5, "steps-0-action": "call"},
    )
    assert refused.status_code == 200 and "Avant l'échéance, seuls des rappels peuvent être envoyés." in text(
        refused
    )
    added = as_manager.post(
        reverse("manager:recovery-holiday-new"), {"date": "2026-08-01", "name": "Fête nationale"}
    )
    assert (
        added.status_code == 302
        and Holiday.objects.filter(organization=agency, name="Fête nationale").exists()
    )


def test_cash_handover_preview_and_record(client, manager, case, collector):
    client.force_login(collector)
    page = client.get(reverse("recovery:field-case", args=[case.public_id]))
    key = page.context["cash"].initial["idempotency_key"]
    for _ in range(2):  # a double submit counts once
        response = client.post(
            reverse("recovery:field-action", args=[case.public_id, "cash"]),
            {"amount": 30_000, "idempotency_key": key},
        )
        assert response.status_code == 302
    assert case.cash.count() == 1
    client.force_login(manager)
    preview = client.get(reverse("manager:recovery-handovers"), {"collector": str(collector.public_id)})
    assert preview.status_code == 200 and "30 000 FCFA" in text(preview)
    record = client.post(
        reverse("manager:recovery-handovers"),
        {"collector": str(collector.public_id), "declared": 40_000, "idempotency_key": "h1"},
    )
    assert record.status_code == 200 and "Plus d'espèces déclarées" in text(record)
    record = client.post(
        reverse("manager:recovery-handovers"),
        {"collector": str(collector.public_id), "declared": 30_000, "idempotency_key": "h1"},
    )
    assert record.status_code == 302


# --- the collector's pages ------------------------------------------------------------------------


def test_field_worklist_and_a_visit_and_a_call(client, collector, case, unassigned_case):
    client.force_login(collector)
    page = client.get(reverse("recovery:field"), {"lat": "6.350100", "lon": "2.380100"})
    body = text(page)
    assert page.status_code == 200 and "Brice Zinsou" in body and "Awa Dossou" not in body
    assert "geolocation=(self)" in page["Permissions-Policy"]
    visit_url = reverse("recovery:field-action", args=[case.public_id, "visit"])
    missing_gps = client.post(visit_url, {"outcome": "absent", "idempotency_key": "v1"})
    assert missing_gps.status_code == 200 and "position" in text(missing_gps)
    ok = client.post(
        visit_url,
        {"outcome": "absent", "latitude": "6.350200", "longitude": "2.380200", "idempotency_key": "v1"},
    )
    assert ok.status_code == 302 and case.visits.get().distance_m is not None
    call_url = reverse("recovery:field-action", args=[case.public_id, "call"])
    client.post(call_url, {"outcome": "no_answer", "idempotency_key": "c1"})
    client.post(call_url, {"outcome": "no_answer", "idempotency_key": "c1"})
    assert Call.objects.filter(case=case).count() == 1
    too_much = client.post(
        reverse("recovery:field-action", args=[case.public_id, "cash"]),
        {"amount": 999_999, "idempotency_key": "k9"},
    )
    assert too_much.status_code == 200 and "dépasse ce qui est dû" in text(too_much)


# --- the debtor portal -------------------------------------------------------------------------------


@pytest.fixture
def sms():
    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)


def portal(case, *rest) -> str:
    return f"/recover/{case.token}/" + "/".join(rest)


def test_portal_shows_the_debt_and_its_dues(client, case):
    response = client.get(portal(case))
    body = text(response)
    assert response.status_code == 200
    assert "240 000 FCFA" in body and 'data-testid="dues"' in body
    assert body.count("en retard") == 3  # January to March
    assert response["Referrer-Policy"] == "same-origin"


def test_portal_unknown_token_is_a_404(client, case):
    assert client.get("/recover/not-a-real-token/").status_code == 404
    assert client.get("/recover/" + "x" * 40 + "/").status_code == 404


def test_portal_payment_creates_an_intent_for_the_chosen_amount(client, case):
    response = client.post(portal(case), {"action": "pay", "amount": 50_000})
    assert response.status_code == 302 and response.url.startswith("/pay/")
    row = PaymentIntent.objects.get(metadata__recovery_case=str(case.public_id))
    assert row.amount == 50_000 and payments.get_intent(row.public_id).amount == 50_000
    assert response.url == payments.get_intent(row.public_id).pay_url
    too_much = client.post(portal(case), {"action": "pay", "amount": 500_000})
    assert too_much.status_code == 200 and "Choisissez un montant" in text(too_much)


def test_portal_promise_in_the_past_is_a_form_error(client, case):
    response = client.post(portal(case), {"action": "promise", "amount": 10_000, "promised_on": "2026-03-01"})
    assert response.status_code == 200
    assert "Une promesse doit être datée d'aujourd'hui ou plus tard." in text(response)
    ok = client.post(portal(case), {"action": "promise", "amount": 10_000, "promised_on": "2026-03-25"})
    assert ok.status_code == 302 and Promise.objects.get(case=case).channel == "portal"


def test_portal_plan_with_otp(client, case, sms):
    wrong = client.post(
        portal(case),
        {
            "action": "plan",
            "date_1": "2026-03-20",
            "amount_1": 10_000,
            "date_2": "2026-04-20",
            "amount_2": 10_000,
        },
    )
    assert wrong.status_code == 200 and "Les échéances doivent totaliser exactement la dette." in text(wrong)
    response = client.post(
        portal(case),
        {
            "action": "plan",
            "date_1": "2026-03-20",
            "amount_1": 80_000,
            "date_2": "2026-04-20",
            "amount_2": 80_000,
            "date_3": "2026-05-20",
            "amount_3": 80_000,
        },
    )
    assert response.status_code == 302
    plan = PaymentPlan.objects.get(case=case)
    bad = client.post(response.url, {"code": "000000"})
    assert bad.status_code == 200 and (
        "field-error" in bad.content.decode() or 'class="errors"' in bad.content.decode()
    )
    code = sms.last_code()
    assert client.post(response.url, {"code": code}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "active"
    page = text(client.get(portal(case)))
    assert 'data-testid="pay-installment-1"' in page
    first = plan.installments.get(seq=1)
    pay = client.post(reverse("recovery:portal-installment", args=[case.token, first.public_id]))
    assert pay.status_code == 302 and pay.url.startswith("/pay/")


def test_portal_notice_pdf_and_closed_case(client, case):
    notice = services.formal_notice_issue(case=case)
    page = text(client.get(portal(case)))
    assert f"/recover/{case.token}/notice/{notice.number}.pdf" in page
    pdf = client.get(portal(case, "notice", f"{notice.number}.pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(portal(case, "notice", "MED-1999-0001.pdf")).status_code == 404
    Case.objects.filter(pk=case.pk).update(status="closed", outcome="paid", closed_at=case.created_at)
    closed = text(client.get(portal(case)))
    assert "Votre dette est payée. Merci !" in closed


def test_portal_speaks_english_through_the_language_switch(client, case):
    client.post("/i18n/setlang/", {"language": "en", "next": portal(case)})
    body = text(client.get(portal(case)))
    assert "Unpaid rent" in body and "240,000 FCFA" in body
