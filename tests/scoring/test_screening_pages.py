"""Tenant screening's pages with Django's client, in French: the manager's list, form, request
and report, decision and thresholds; the applicant's consent page (code, income, consent,
withdrawal); refusals said on the page (never a 500 nor a bare 404); another organization's
request is a 404."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.notifications.models import Message
from apps.scoring.models import ScreeningReport, ScreeningRequest
from apps.scoring.services import screening

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    if user is not None:
        client.force_login(user)
    return client


def test_the_manager_requests_a_screening_from_the_form(screening_world):
    w = screening_world
    client = _client(w.manager)
    page = client.get(reverse("manager:scoring-screening"))
    assert page.status_code == 200 and "Sélection des locataires" in page.content.decode()
    form = client.get(reverse("manager:scoring-screening-new"))
    assert str(w.unit.public_id) in form.content.decode()
    bad = client.post(
        reverse("manager:scoring-screening-new"), {"unit": str(w.unit.public_id), "phone": "12"}
    )
    assert bad.status_code == 200 and "numéro" in bad.content.decode().lower()
    done = client.post(
        reverse("manager:scoring-screening-new"),
        {"unit": str(w.unit.public_id), "phone": "01 97 12 34 56", "applicant_name": "Afi Mensah"},
    )
    req = ScreeningRequest.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "manager:scoring-screening-request", args=[req.public_id]
    )
    detail = client.get(done["Location"]).content.decode()
    assert "En attente du candidat" in detail and "Afi Mensah" in detail
    assert Message.objects.filter(template_key="scoring.screening_consent_request").exists()


def test_the_applicant_consents_on_the_page_then_the_manager_reads_the_report(
    screening_world, screening_codes
):
    w = screening_world
    req = screening.request_create(actor=w.manager, unit=w.unit.public_id, phone=str(w.applicant.phone))
    url = reverse("scoring:screening-consent", args=[req.consent_token])
    applicant = _client()
    page = applicant.get(url).content.decode()
    assert "Agence Soleil" in page and "Ce qui serait partagé" in page and "24 derniers mois" in page
    applicant.post(url, {"action": "code"})
    wrong = applicant.post(url, {"action": "consent", "declared_income": "250000", "code": "0000000"})
    assert wrong.status_code == 200 and 'data-testid="form-consent"' in wrong.content.decode()
    code = screening_codes.last(w.applicant.phone)
    done = applicant.post(url, {"action": "consent", "declared_income": "250000", "code": code})
    assert done.status_code == 302
    req.refresh_from_db()
    assert req.status == "consented" and req.declared_income == 250_000 and req.applicant == w.applicant
    assert "Vous avez donné votre accord" in applicant.get(url).content.decode()

    manager = _client(w.manager)
    detail_url = reverse("manager:scoring-screening-request", args=[req.public_id])
    manager.post(reverse("manager:scoring-screening-action", args=[req.public_id, "issue"]))
    detail = manager.get(detail_url).content.decode()
    assert 'data-value="conditions"' in detail and "un garant" in detail and "36 %" in detail
    pdf = manager.get(reverse("manager:scoring-screening-pdf", args=[req.public_id]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    seen = applicant.get(url).content.decode()  # signed in by the code: sees what the agency sees
    assert "Le rapport que voit l'agence" in seen and 'data-testid="screening-report"' in seen
    assert 'data-testid="screening-report"' not in _client().get(url).content.decode()
    manager.post(
        reverse("manager:scoring-screening-action", args=[req.public_id, "decide"]), {"decision": "declined"}
    )
    assert Message.objects.filter(template_key="scoring.screening_adverse_action").exists()

    # the applicant withdraws (signed in by the code): the manager's page says so, the PDF too
    applicant.post(url, {"action": "withdraw"})
    req.refresh_from_db()
    assert req.status == "withdrawn"
    detail = manager.get(detail_url).content.decode()
    assert 'data-code="scoring_screening_consent_withdrawn"' in detail and "retiré son accord" in detail
    refused = manager.get(reverse("manager:scoring-screening-pdf", args=[req.public_id]))
    assert refused.status_code == 302
    assert ScreeningReport.objects.count() == 1


def test_withdrawal_by_someone_without_the_code_is_refused(screening_world, screening_codes):
    w = screening_world
    req = screening.request_create(actor=w.manager, unit=w.unit.public_id, phone=str(w.applicant.phone))
    challenge = screening.consent_start(actor=w.applicant, req=req)
    screening.consent_confirm(
        actor=w.applicant,
        req=req,
        challenge_id=challenge.challenge_id,
        code=screening_codes.last(w.applicant.phone),
        declared_income=200_000,
    )
    url = reverse("scoring:screening-consent", args=[req.consent_token])
    stranger = _client()
    page = stranger.post(url, {"action": "withdraw", "code": "123"})
    assert page.status_code == 200
    req.refresh_from_db()
    assert req.status == "consented"


def test_an_unknown_token_is_a_404_and_the_report_before_consent_is_explained(screening_world):
    w = screening_world
    assert _client().get(reverse("scoring:screening-consent", args=["nope"])).status_code == 404
    req = screening.request_create(actor=w.manager, unit=w.unit.public_id, phone=str(w.applicant.phone))
    manager = _client(w.manager)
    refused = manager.post(
        reverse("manager:scoring-screening-action", args=[req.public_id, "issue"]), follow=True
    )
    assert refused.status_code == 200 and "pas encore donné son accord" in refused.content.decode()


def test_another_organization_gets_404_everywhere(screening_world):
    w = screening_world
    req = screening.request_create(actor=w.manager, unit=w.unit.public_id, phone=str(w.applicant.phone))
    other = _client(w.other_manager)
    for url in (
        reverse("manager:scoring-screening-request", args=[req.public_id]),
        reverse("manager:scoring-screening-pdf", args=[req.public_id]),
    ):
        assert other.get(url).status_code == 404
    assert (
        other.post(reverse("manager:scoring-screening-action", args=[req.public_id, "issue"])).status_code
        == 404
    )
    listing = other.get(reverse("manager:scoring-screening")).content.decode()
    assert req.number not in listing and req.applicant_phone not in listing
    bad = other.post(
        reverse("manager:scoring-screening-new"), {"unit": str(w.unit.public_id), "phone": "0197123456"}
    )
    assert bad.status_code == 200 and not ScreeningRequest.objects.filter(organization=w.other_org).exists()


def test_the_thresholds_page_refuses_a_deposit_above_the_legal_cap(screening_world):
    w = screening_world
    client = _client(w.manager)
    url = reverse("manager:scoring-screening-policy")
    data = {
        "accept_min_score": 700,
        "decline_below_score": 560,
        "accept_max_ratio": 35,
        "decline_above_ratio": 50,
        "decline_unpaid_months": 3,
        "decline_written_off": "on",
        "conditions_deposit_months": 4,
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and "plafond légal" in refused.content.decode()
    assert client.post(url, {**data, "conditions_deposit_months": 2}).status_code == 302
    assert screening.policy_of(w.org.pk).accept_min_score == 700
