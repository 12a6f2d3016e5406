import pytest

from tests.helpers import graphql_post

pytestmark = pytest.mark.django_db


def gql(client, query, **extra):
    return graphql_post(client, {"query": query}, **extra)


def test_root_schema_is_assembled_from_the_modules():
    from hokwe.schema import schema

    fields = schema.graphql_schema.query_type.fields
    assert "serverInfo" in fields  # from apps/core/graphql/schema.py (CoreQueries)


def test_cookie_calls_need_a_csrf_token(rf, user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    refused = browser.post(
        "/graphql", {"query": "{ serverInfo { version } }"}, content_type="application/json"
    )
    assert refused.status_code == 403
    browser.get("/manager/")  # a page with a form sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        "/graphql",
        {"query": "{ serverInfo { language } }"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert accepted.status_code == 200
    assert accepted.json()["data"]["serverInfo"]["language"] == "fr"


def test_language_follows_accept_language(client):
    client.get("/manager/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/graphql",
        {"query": "{ serverInfo { language } }"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.json()["data"]["serverInfo"]["language"] == "en"


def test_invalid_queries_get_errors_not_500(client):
    client.get("/manager/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/graphql", {"query": "{ noSuchField }"}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 400
    assert "noSuchField" in response.json()["errors"][0]["message"]
    broken = client.post("/graphql", "{not json", content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert broken.status_code == 400


def test_unexpected_resolver_errors_are_masked():
    from django.utils import translation
    from graphql import GraphQLError

    from hokwe.graphql_view import HokweGraphQLView

    error = GraphQLError("boom", original_error=ZeroDivisionError("secret internals"))
    with translation.override("fr"):  # not whatever language an earlier request left active
        formatted = HokweGraphQLView.format_error(error)
    assert "secret internals" not in str(formatted)
    assert formatted["extensions"]["code"] == "server_error"
    assert formatted["message"] == "Erreur interne."
