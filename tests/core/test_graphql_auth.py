"""GraphQL as an app uses it before and after login (issue 17): anonymous calls need no CSRF
token (the whole login / refresh / logout flow over GraphQL alone is in
tests/identity/test_graphql.py), and every query that needs a user answers `extensions.code: unauthenticated` when there is none. Cookie-session
calls keep their CSRF check."""

import pytest
from django.test import Client

from hokwe.schema import PUBLIC_QUERY_FIELDS, schema
from tests.helpers import graphql_post

pytestmark = pytest.mark.django_db


def _app():
    """A client as a mobile app is: no cookies kept, CSRF enforced as in production."""
    return Client(enforce_csrf_checks=True)


def _call(client, query, variables=None, token=None):
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = graphql_post(client, {"query": query, "variables": variables or {}}, **extra)
    assert response.status_code == 200, response.content
    return response.json()


def test_anonymous_queries_that_need_a_user_answer_unauthenticated():
    app = _app()
    for field in ("estateMyDues", "estateDues", "paymentsMine", "notificationsInbox", "kycMine"):
        query_type = schema.graphql_schema.query_type
        assert field in query_type.fields
        body = _call(app, f"{{ {field} {{ __typename }} }}")
        assert [e["extensions"]["code"] for e in body["errors"]] == ["unauthenticated"], field
        assert body["data"] in (None, {field: None}), field


def test_a_get_is_refused_the_same_way():
    response = _app().get("/graphql", {"query": "{ estateDues { id } }"}, HTTP_ACCEPT="application/json")
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "unauthenticated"
    assert body["errors"][0]["message"] == "Connectez-vous d’abord."


def test_only_the_declared_public_fields_are_open():
    assert PUBLIC_QUERY_FIELDS == {
        "coreServerInfo",
        "serverInfo",
        # market (issue 23): the anonymous search, the local service providers, a listing's
        # visit slots and the anonymous seeker's booking by its code
        "marketSearch",
        "marketSearchFacets",
        "marketProviders",
        "marketProvider",
        "marketVisitSlots",
        "marketVisitByCode",
        # cms (issue 24): the help centre's search, categories and articles
        "cmsHelpSearch",
        "cmsHelpArticle",
        "cmsHelpCategories",
        # cms (issue 24): the news, a page at a time, and one post
        "cmsNews",
        "cmsNewsPost",
        # ads (issue 26): the ads a placement shows anyone, with their signed beacons
        "adsServe",
    }
    body = _call(_app(), "{ coreServerInfo { language } __typename }")
    assert body == {"data": {"coreServerInfo": {"language": "fr"}, "__typename": "Query"}}


def test_a_signed_in_cookie_session_still_needs_its_csrf_token(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    refused = graphql_post(browser, {"query": "{ identityMe { id } }"})
    assert refused.status_code == 403
    # An anonymous browser (a session cookie, nobody logged in) is not protected by CSRF:
    # it has nothing to steal, and logging in over GraphQL returns tokens, never a cookie.
    anonymous = Client(enforce_csrf_checks=True)
    anonymous.get("/manager/login/")
    assert graphql_post(anonymous, {"query": "{ coreServerInfo { version } }"}).status_code == 200
