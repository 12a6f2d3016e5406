"""The tenant's score pages (/scoring/…, S3), in French: the score with its band and reasons,
the SVG history chart, the rent lines with « Contester », the dispute form and its page, the
bureau consent given and withdrawn; another's dispute or line is the 404 page; anonymous
callers go to the tenant login; the panels on the tenant space and the manager's lease page."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from apps.scoring.models import BureauConsent, RentLineDispute, Score
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def client_for(user) -> Client:
    client = Client(**FR)
    client.force_login(user)
    return client


def _month(history, i: int) -> str:
    return history.dues[i].period.strftime("%Y-%m")


def test_my_score_page_in_french(rent_history):
    client = client_for(rent_history.tenant)
    page = client.get(reverse("scoring:score"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mon score locatif" in html
    score = Score.objects.get(user=rent_history.tenant)
    if score.score is None:
        assert 'data-testid="score-thin"' in html
    else:
        assert f'data-testid="score-number">{score.score}<' in html
        assert 'data-testid="score-chart"' in html and 'data-testid="chart-dot"' in html
    assert "Pourquoi ce score" in html or score.reasons == []
    assert "Bureau de crédit" in html


def test_thin_file_page_shows_how_to_build_a_history(db):
    client = client_for(UserFactory(full_name="Nouveau Locataire"))
    html = client.get(reverse("scoring:score")).content.decode()
    assert "Pas encore assez d&#x27;historique" in html or "Pas encore assez d'historique" in html
    assert "payez votre loyer par Hokwe" in html
    assert 'data-testid="no-history"' in html


def test_lines_and_the_dispute_flow(rent_history):
    client = client_for(rent_history.tenant)
    html = client.get(reverse("scoring:score-lines")).content.decode()
    assert html.count('data-testid="rent-line"') >= 13
    assert "Payé avec 1 à 29 jours de retard" in html and "Non payé" in html
    month = _month(rent_history, 9)
    form_url = reverse("scoring:score-dispute-new") + f"?lease={rent_history.lease.public_id}&month={month}"
    assert form_url.replace("&", "&amp;") in html
    form = client.get(form_url)
    assert form.status_code == 200 and "Contester une ligne" in form.content.decode()
    # no reason chosen: the form says so
    refused = client.post(
        reverse("scoring:score-dispute-new"), {"lease": rent_history.lease.public_id, "month": month}
    )
    assert refused.status_code == 400 and "Choisissez ce qui ne va pas" in refused.content.decode()
    sent = client.post(
        reverse("scoring:score-dispute-new"),
        {
            "lease": rent_history.lease.public_id,
            "month": month,
            "reason": "paid_on_time",
            "details": "Reçu 77",
        },
    )
    dispute = RentLineDispute.objects.get()
    assert sent.status_code == 302 and sent["Location"] == reverse(
        "scoring:score-dispute", args=[dispute.public_id]
    )
    detail = client.get(sent["Location"]).content.decode()
    assert "Ouverte" in detail and "Reçu 77" in detail and 'data-testid="dispute-deadline"' in detail
    lines = client.get(reverse("scoring:score-lines")).content.decode()
    assert "Contestée" in lines
    # a second time on the same line: the refusal on the form, not a 500
    again = client.post(
        reverse("scoring:score-dispute-new"),
        {"lease": rent_history.lease.public_id, "month": month, "reason": "other"},
    )
    assert again.status_code == 400 and "déjà contesté" in again.content.decode()


def test_another_tenant_gets_the_404_page(rent_history):
    owner = client_for(rent_history.tenant)
    owner.post(
        reverse("scoring:score-dispute-new"),
        {"lease": rent_history.lease.public_id, "month": _month(rent_history, 9), "reason": "other"},
    )
    dispute = RentLineDispute.objects.get()
    stranger = client_for(UserFactory())
    page = stranger.get(reverse("scoring:score-dispute", args=[dispute.public_id]))
    assert page.status_code == 404 and 'data-testid="score-not-found"' in page.content.decode()
    form = stranger.get(
        reverse("scoring:score-dispute-new")
        + f"?lease={rent_history.lease.public_id}&month={_month(rent_history, 10)}"
    )
    assert form.status_code == 404 and 'data-testid="dispute-form"' not in form.content.decode()
    assert stranger.get(reverse("scoring:score-dispute-new") + "?lease=nope&month=x").status_code == 404
    assert stranger.get(reverse("scoring:score-dispute", args=[uuid.uuid4()])).status_code == 404


def test_bureau_consent_page(rent_history):
    client = client_for(rent_history.tenant)
    page = client.get(reverse("scoring:score-bureau")).content.decode()
    assert "Oui, déclarer mes loyers payés" in page
    assert client.post(reverse("scoring:score-bureau"), {"action": "give"}).status_code == 302
    assert BureauConsent.objects.get(user=rent_history.tenant).given
    page = client.get(reverse("scoring:score-bureau")).content.decode()
    assert 'data-testid="consent-given"' in page and "Arrêter de déclarer mes loyers" in page
    client.post(reverse("scoring:score-bureau"), {"action": "withdraw"})
    assert not BureauConsent.objects.get(user=rent_history.tenant).given
    assert 'data-testid="consent-withdrawn"' in client.get(reverse("scoring:score-bureau")).content.decode()


@pytest.mark.parametrize("name", ["scoring:score", "scoring:score-lines", "scoring:score-bureau"])
def test_anonymous_is_sent_to_the_tenant_login(db, name):
    response = Client(**FR).get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("estate:tenant-login"))


def test_the_tenant_space_shows_the_score_panel(rent_history):
    html = client_for(rent_history.tenant).get(reverse("estate:tenant-home")).content.decode()
    assert 'data-testid="score-panel"' in html and reverse("scoring:score") in html


def test_the_lease_page_shows_the_loyalty_tier_to_its_managers_only(rent_history):
    from apps.scoring.models import ScoreAccess
    from apps.scoring.services.scores import rescore
    from tests.identity.factories import MembershipFactory

    rescore(rent_history.tenant.public_id, reason="test")
    Score.objects.filter(user=rent_history.tenant).update(loyalty_tier="gold")
    url = reverse("manager:estate-lease", args=[rent_history.lease.public_id])
    html = client_for(rent_history.manager).get(url).content.decode()
    assert 'data-testid="lease-loyalty"' in html and 'data-tier="gold"' in html
    assert "Locataire fidèle : or" in html and "vous pouvez réduire le dépôt au renouvellement" in html
    assert ScoreAccess.objects.filter(subject=rent_history.tenant, why="lease_loyalty").count() == 1
    # another organization's manager: the page itself refuses, and the panel shows nothing
    other = MembershipFactory(role="manager").user
    response = client_for(other).get(url)
    assert 'data-testid="lease-loyalty"' not in response.content.decode()
    from apps.scoring.panels import _lease_loyalty

    class _Request:
        user = other

    assert _lease_loyalty(_Request(), lease=rent_history.lease.public_id) is None
