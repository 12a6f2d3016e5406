"""The help centre's REST (/api/v1/cms/help/…) and GraphQL (cmsHelp…) surfaces: anonymous
reads, problem details, query-count ceilings, the contact throttle, a user's own tickets."""

from __future__ import annotations

import pytest
from django.test import override_settings

from apps.cms.demo import seed_help
from apps.cms.models import HelpFeedback, SupportTicket
from tests.helpers import bearer_client, gql, gql_response
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

MOMO = "Comment payer mon loyer par MoMo ?"


@pytest.fixture
def help_demo(db):
    seed_help({})


def test_rest_search_is_anonymous_and_finds_the_momo_article(
    api_client, help_demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = api_client.get("/api/v1/cms/help/search", {"q": "payer loyer momo", "audience": "tenant"})
    assert response.status_code == 200
    assert response.json()[0]["title"] == MOMO and response.json()[0]["slug"] == "payer-loyer-momo"


def test_rest_categories_list_has_a_query_ceiling(api_client, help_demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = api_client.get("/api/v1/cms/help/categories", {"locale": "en"})
    assert response.status_code == 200
    assert {c["slug"] for c in response.json()} >= {"payer-mon-loyer", "point-de-vente"}
    assert response.json()[0]["articles"][0]["title"]


def test_rest_article_and_problem_details(api_client, help_demo):
    ok = api_client.get("/api/v1/cms/help/articles/payer-loyer-momo")
    assert ok.status_code == 200 and ok.json()["title"] == MOMO
    assert "<ol>" in ok.json()["body_html"] and ok.json()["translations"] == {"en": "pay-rent-momo"}
    missing = api_client.get("/api/v1/cms/help/articles/nope")
    assert missing.status_code == 404 and missing["Content-Type"].startswith("application/problem+json")
    assert missing.json()["type"].endswith("help_article_not_found")
    bad = api_client.get("/api/v1/cms/help/search", {"q": "loyer", "locale": "de"})
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")


def test_rest_feedback(api_client, help_demo):
    response = api_client.post(
        "/api/v1/cms/help/articles/payer-loyer-momo/feedback",
        {"helpful": False, "reason": "unclear", "comment": "Quel numéro ?"},
        format="json",
    )
    assert response.status_code == 204
    assert HelpFeedback.objects.get().reason == "unclear"
    bad = api_client.post(
        "/api/v1/cms/help/articles/payer-loyer-momo/feedback", {"helpful": True, "reason": "x"}, format="json"
    )
    assert bad.status_code == 400


def test_rest_contact_opens_a_ticket_and_is_throttled(api_client, help_demo):
    body = {
        "name": "Afi",
        "phone": "0197123456",
        "subject": "Paiement",
        "message": "Mon paiement MoMo n'apparait pas.",
    }
    with override_settings(THROTTLE_RATES={"cms.help_contact": "2/h"}) if False else override_settings():
        first = api_client.post("/api/v1/cms/help/tickets", body, format="json")
    assert first.status_code == 201 and first.json()["reference"].startswith("SUP")
    assert SupportTicket.objects.get().source == "app"
    codes = [api_client.post("/api/v1/cms/help/tickets", body, format="json").status_code for _ in range(6)]
    assert 429 in codes  # 5 an hour per client
    no_contact = bearer_client(None).post(
        "/api/v1/cms/help/tickets", {"subject": "x", "message": "y"}, format="json"
    )
    assert no_contact.status_code in (400, 429)


def test_rest_my_tickets_are_mine_only(help_demo):
    me, other = UserFactory(), UserFactory()
    bearer_client(me).post("/api/v1/cms/help/tickets", {"subject": "A moi", "message": "m"}, format="json")
    bearer_client(other).post("/api/v1/cms/help/tickets", {"subject": "A lui", "message": "m"}, format="json")
    mine = bearer_client(me).get("/api/v1/cms/help/tickets")
    assert [t["subject"] for t in mine.json()] == ["A moi"]
    assert bearer_client(None).get("/api/v1/cms/help/tickets").status_code == 401


SEARCH = """query($text: String!, $audience: String) { cmsHelpSearch(text: $text, audience: $audience) { slug title locale } }"""
ARTICLE = """query($slug: String!, $locale: String) { cmsHelpArticle(slug: $slug, locale: $locale) { title bodyHtml translations { locale slug } } }"""
CATEGORIES = """{ cmsHelpCategories(audience: "merchant") { slug articles { slug title } } }"""
FEEDBACK = """mutation($slug: String!) { cmsHelpFeedback(slug: $slug, helpful: true, reason: "solved") { ok errors { field code message } } }"""
CONTACT = """mutation($email: String) { cmsHelpContact(subject: "Quittance", message: "Pas reçue", email: $email) { ok errors { field code } ticket { reference status } } }"""


def test_graphql_public_fields_answer_anonymous_callers(help_demo):
    client = bearer_client(None)
    assert (
        gql(client, SEARCH, {"text": "paier loyé", "audience": "tenant"})["cmsHelpSearch"][0]["title"] == MOMO
    )
    article = gql(client, ARTICLE, {"slug": "pay-rent-momo", "locale": "en"})["cmsHelpArticle"]
    assert article["title"] == "How do I pay my rent with MoMo?" and article["translations"] == [
        {"locale": "fr", "slug": "payer-loyer-momo"}
    ]
    assert gql(client, ARTICLE, {"slug": "nope"})["cmsHelpArticle"] is None
    slugs = {c["slug"] for c in gql(client, CATEGORIES)["cmsHelpCategories"]}
    assert "point-de-vente" in slugs and "proprietaires" not in slugs


def test_graphql_mutations_feedback_and_contact(help_demo):
    client = bearer_client(None)
    assert gql(client, FEEDBACK, {"slug": "payer-loyer-momo"})["cmsHelpFeedback"] == {
        "ok": True,
        "errors": [],
    }
    refused = gql(client, CONTACT, {"email": ""})["cmsHelpContact"]
    assert refused["ok"] is False and refused["errors"][0]["code"] == "help_contact_missing"
    done = gql(client, CONTACT, {"email": "afi@example.com"})["cmsHelpContact"]
    assert done["ok"] and done["ticket"]["status"] == "new"
    assert SupportTicket.objects.count() == 1


def test_graphql_my_tickets_need_a_login(help_demo):
    body = gql_response(bearer_client(None), "{ cmsHelpTickets { reference } }")
    assert body["errors"]
