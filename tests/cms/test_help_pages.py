"""The help centre's pages: /help/ by audience, the search page, an article in English, the
feedback form's refusal, the contact form without JavaScript (a first submit shows the articles
that may answer, the second opens the ticket), the same form in the manager, a user's own
tickets only, the suggestions' JSON; and the SQLite search (icontains) on the same data."""

from __future__ import annotations

import pytest

from apps.cms.demo import seed_help
from apps.cms.models import HelpArticle, SupportTicket
from apps.cms.services import help as help_service
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

MOMO = "Comment payer mon loyer par MoMo ?"


@pytest.fixture
def help_demo(db):
    seed_help({})


def test_home_lists_the_audiences_categories_in_french(client, help_demo):
    page = client.get("/help/?audience=merchant").content.decode()
    assert "Point de vente" in page and "Encaisser un loyer en espèces au point de vente" in page
    assert "Propriétaires" not in page  # the landlords' category is not the merchants'
    assert "Centre d'aide" in page


def test_search_page_and_an_english_article(client, help_demo):
    page = client.get("/help/search", {"q": "payer loyer momo"}).content.decode()
    assert MOMO in page
    english = client.get("/help/a/pay-rent-momo/?lang=en")
    assert english.status_code == 200 and "How do I pay my rent with MoMo?" in english.content.decode()
    assert client.get("/help/a/nope/").status_code == 404


def test_feedback_without_a_choice_is_a_form_error(client, help_demo):
    response = client.post("/help/a/payer-loyer-momo/feedback", {"reason": "unclear"})
    assert response.status_code == 400


def test_suggestions_json(client, help_demo):
    data = client.get("/help/suggest", {"q": "paier loyé"}).json()
    assert data["results"][0]["title"] == MOMO and data["results"][0]["url"].startswith("/help/a/")


def test_contact_without_javascript_suggests_first_then_opens_the_ticket(client, help_demo):
    form = {
        "name": "Afi",
        "phone": "97 12 34 56",
        "subject": "payer loyer momo",
        "message": "Comment faire ?",
    }
    first = client.post("/help/contact/", form)
    assert first.status_code == 200 and MOMO in first.content.decode()
    assert not SupportTicket.objects.exists()
    second = client.post("/help/contact/", {**form, "seen": "True"})
    assert second.status_code == 200 and "SUP" in second.content.decode()
    assert SupportTicket.objects.get().source == "web"


def test_contact_needs_a_way_to_answer(client, help_demo):
    response = client.post("/help/contact/", {"name": "Afi", "subject": "x", "message": "y", "seen": "True"})
    assert response.status_code == 400 and not SupportTicket.objects.exists()


def test_manager_contact_and_my_tickets_only(client, help_demo):
    me = UserFactory()
    help_service.ticket_open(user=UserFactory(), subject="Pas le mien", message="m")
    client.force_login(me)
    assert client.get("/manager/cms/help/contact/").status_code == 200
    sent = client.post(
        "/manager/cms/help/contact/",
        {"subject": "Relevé introuvable", "message": "Où est-il ?", "seen": "True"},
    )
    assert sent.status_code == 200
    ticket = SupportTicket.objects.get(user=me)
    assert ticket.source == "manager" and ticket.phone == str(me.phone)
    listing = client.get("/manager/cms/help/tickets/").content.decode()
    assert "Relevé introuvable" in listing and "Pas le mien" not in listing


def test_the_sqlite_search_finds_the_same_article(help_demo):
    ranked = help_service._search_simple("payer loyer momo", "fr", "tenant", 5)
    assert HelpArticle.objects.get(pk=ranked[0][0]).title == MOMO
    assert help_service._search_simple("encaisser especes", "fr", "tenant", 5) == []
