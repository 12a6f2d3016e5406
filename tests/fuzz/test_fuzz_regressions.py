"""Inputs that schemathesis once turned into failures, kept as plain regression tests."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_client(db):
    from apps.identity.services.tokens import tokens_issue
    from tests.identity.factories import UserFactory

    token = tokens_issue(user=UserFactory(), auth_method="otp").access_token
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_local_times_are_published_without_rfc3339_format(client):
    """Found on PATCH /api/v1/notifications/preferences {"quiet_hours_start": "00:00:00Z", …}:
    the response's "00:00:00" violated `format: time` (RFC 3339 full-time needs an offset)."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    text = json.dumps(schema)
    assert '"format": "time"' not in text
    prefs = schema["components"]["schemas"].get("NotificationPreferences") or {}
    for name, spec in (prefs.get("properties") or {}).items():
        if name.startswith("quiet_hours"):
            options = spec.get("anyOf", [spec])
            assert any(option.get("pattern") for option in options), spec


def test_unknown_graphql_ids_are_typed_errors_not_crashes(app_client):
    """Found by the GraphQL fuzzer: unknown ids and cursors must answer typed errors."""
    for query in (
        '{ ledgerAccount(id: "e3e70682-c209-4cac-629f-6fbed82c07cd") { closed } }',
        '{ inbox(unreadOnly: false, first: null, after: "79f175d9-2242-bc92-3a7a-37ce03cced9a") { id } }',
    ):
        body = app_client.post("/graphql", {"query": query}, content_type="application/json").json()
        codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors", [])}
        assert codes and "server_error" not in codes, body
