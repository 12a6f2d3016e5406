"""Strict bodies on every REST write (docs/api.md, "Strict input"), generated from the URL
conf: every POST/PUT/PATCH/DELETE route under /api/v1/ refuses malformed JSON with 400
`parse_error`, and an unknown field with 400 `unknown_field` (a body it reads) or
`unexpected_body` (an operation the OpenAPI schema gives no body), never a 2xx or a 5xx.
Provider callbacks (rest/webhooks.py) are the one documented exemption."""

import json
import uuid
from datetime import date

import pytest
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from rest_framework.views import APIView

from apps.core.middleware import WRITE_METHODS, is_provider_callback
from tests.fixtures.estate import first_of_month
from tests.helpers import bearer_client

pytestmark = pytest.mark.django_db

BROKEN = '{"amount": 1000,'
UNKNOWN = {"zz_not_a_field": 1}


def write_routes():
    """(path with {params}, method, callback) of every REST write route."""
    routes = []
    for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints():
        if method in WRITE_METHODS and path.startswith("/api/{version}/"):
            routes.append((path, method, callback))
    assert len(routes) > 60  # the walk sees the whole URL conf
    return routes


def concrete(path: str, known: dict | None = None) -> str:
    """Fill the path parameters: the caller's own objects where `known` has them, else a
    fresh UUID for ids (nobody's object: a 404 before the body is read), words elsewhere."""
    import re

    def fill(match):
        name = match.group(1)
        if name == "version":
            return "v1"
        if name in (known or {}):
            return str(known[name])
        if name.endswith("id"):
            return str(uuid.uuid4())
        return "sandbox"

    return re.sub(r"{([^}]+)}", fill, path)


@pytest.fixture(scope="module")
def bodyless_by_schema(django_db_blocker):
    """(path, method) of the write operations whose OpenAPI operation has no requestBody."""
    with django_db_blocker.unblock():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (path, method.upper())
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method.upper() in WRITE_METHODS and "requestBody" not in operation
    }


def send(client, method, url, body, content_type="application/json"):
    return getattr(client, method.lower())(url, body, content_type=content_type)


def test_every_write_route_parses_its_body_strictly(estate_overdue_lease, bodyless_by_schema):
    from apps.estate.models import RentDue

    world = estate_overdue_lease
    client = bearer_client(world.manager)
    known = {  # the manager's own objects: their routes get as far as reading the body
        "lease_id": world.lease.public_id,
        "property_id": world.property.public_id,
        "unit_id": world.lease.unit.public_id,
        "due_id": RentDue.objects.filter(lease=world.lease).order_by("period").first().public_id,
    }
    read_the_body, refused_before_the_body, exempt, failures = [], [], [], []
    for path, method, callback in write_routes():
        url = concrete(path, known)
        route = f"{method} {path}"
        if not issubclass(getattr(callback, "cls", object), APIView) or is_provider_callback(callback):
            exempt.append(route)
            continue
        broken = send(client, method, url, BROKEN)
        if broken.status_code != 400 or broken.json().get("code") != "parse_error":
            failures.append(f"{route}: broken JSON gave {broken.status_code} {broken.content[:120]!r}")
        unknown = send(client, method, url, json.dumps(UNKNOWN))
        status = unknown.status_code
        if status < 400 or status >= 500:
            failures.append(f"{route}: an unknown field gave {status} {unknown.content[:120]!r}")
            continue
        body = unknown.json()
        codes = {body.get("code")} | {e.get("code") for e in body.get("errors", [])}
        bodyless = (path.replace("{version}", "v1"), method) in bodyless_by_schema
        if bodyless:
            # the schema says no body: refused as such, for anybody, before the view runs
            if status != 400 or body["code"] != "unexpected_body":
                failures.append(f"{route}: no body in the schema, yet an unknown field gave {status} {codes}")
        elif status == 400 and "unknown_field" in codes:
            fields = [e["field"] for e in body["errors"] if e["code"] == "unknown_field"]
            if fields != ["zz_not_a_field"]:
                failures.append(f"{route}: unknown_field names {fields}")
            read_the_body.append(route)
        elif status in (401, 403, 404, 405, 415):
            refused_before_the_body.append(f"{route} -> {status}")  # nobody's object: 404 first
        else:
            failures.append(f"{route}: an unknown field gave {status} {codes}")
    assert failures == []
    # the exemption is the provider callbacks, and only them
    assert exempt and all("callbacks" in r or "webhooks" in r for r in exempt), exempt
    # with fresh ids most object routes 404 before reading; the collection routes read it
    assert len(read_the_body) >= 15, read_the_body
    for route in (
        "POST /api/{version}/estate/leases",
        "POST /api/{version}/payments/intents",
        "POST /api/{version}/auth/otp/request",
        "POST /api/{version}/estate/leases/{lease_id}/payments",
        "POST /api/{version}/estate/dues/{due_id}/adjustments",
        "PATCH /api/{version}/estate/units/{unit_id}",
    ):
        assert route in read_the_body


def test_the_middleware_rule_is_the_schema(bodyless_by_schema):
    """The runtime rule (apps.core.middleware.view_takes_body) and the published schema
    agree on which operations take no body."""
    from apps.core.middleware import view_takes_body

    runtime = {
        (path.replace("{version}", "v1"), method)
        for path, method, callback in write_routes()
        if issubclass(getattr(callback, "cls", object), APIView)
        and not is_provider_callback(callback)
        and not view_takes_body(callback, method)
    }
    published = {route for route in bodyless_by_schema if "/callbacks/" not in route[0]}
    assert runtime == published
    assert ("/api/v1/estate/statements/{statement_id}/close", "POST") in runtime


@pytest.fixture
def statement(estate_overdue_lease):
    from apps.estate import services

    world = estate_overdue_lease
    prop = world.property
    return services.statement_get_or_refresh(
        actor=world.manager,
        organization_id=prop.organization_id,
        owner_id=prop.owner_id,
        period=first_of_month(date.today(), 1),
    )


def test_closing_a_statement_refuses_a_broken_or_unknown_body_and_closes_nothing(
    estate_overdue_lease, statement
):
    client = bearer_client(estate_overdue_lease.manager)
    url = f"/api/v1/estate/statements/{statement.public_id}/close"
    broken = send(client, "POST", url, BROKEN)
    assert broken.status_code == 400 and broken.json()["code"] == "parse_error"
    assert broken["Content-Type"] == "application/problem+json"
    unexpected = send(client, "POST", url, json.dumps({"force": True}))
    assert unexpected.status_code == 400 and unexpected.json()["code"] == "unexpected_body"
    assert unexpected.json()["detail"].startswith("Cette opération ne prend pas de corps")
    as_text = send(client, "POST", url, "close it", content_type="text/plain")
    assert as_text.status_code == 400 and as_text.json()["code"] == "unexpected_body"
    statement.refresh_from_db()
    assert statement.status == "draft"
    # an empty body, or {}, is no body: the statement closes
    closed = send(client, "POST", url, json.dumps({}))
    assert closed.status_code == 200, closed.content
    statement.refresh_from_db()
    assert statement.status == "closed"


def test_an_empty_body_is_no_body(estate_overdue_lease, statement):
    client = bearer_client(estate_overdue_lease.manager)
    response = client.post(f"/api/v1/estate/statements/{statement.public_id}/close")
    assert response.status_code == 200, response.content


def test_english_detail_and_nan_is_not_json(estate_overdue_lease, statement):
    client = bearer_client(estate_overdue_lease.manager)
    url = f"/api/v1/estate/statements/{statement.public_id}/close"
    english = client.post(url, '{"a": 1}', content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == (
        "This operation takes no request body: send none, or an empty JSON object {}."
    )
    nan = client.post("/api/v1/payments/intents", '{"amount": NaN}', content_type="application/json")
    assert nan.status_code == 400 and nan.json()["code"] == "parse_error"


def test_the_body_rule_reads_every_operation_from_the_schema_without_a_fallback(caplog):
    """A fresh process has generated no OpenAPI document: reading an operation's request
    body must not depend on one (the schema's component registry left over from it). An
    unreadable operation falls back to "takes a body" and logs a warning: none may."""
    from apps.core import middleware

    middleware._takes_body_cache.clear()
    answers = {}
    for path, method, callback in write_routes():
        schema = callback.cls.__dict__.get("schema")
        if schema is not None:
            vars(schema).pop("registry", None)  # as in a process that never built the schema
        answers[(path, method)] = middleware.view_takes_body(callback, method)
    assert not [r for r in caplog.records if r.getMessage() == "strict_body_schema_unreadable"]
    assert answers[("/api/{version}/estate/statements/{statement_id}/close", "POST")] is False
    assert True in answers.values() and False in answers.values()
