"""Schemathesis over the whole OpenAPI schema (/api/schema/) and over /graphql, authenticated
as a normal user (a bearer token from identity's issuer, the mobile apps' way in).

Bounded and deterministic: FUZZ_MAX_EXAMPLES examples per operation (default 4), a
derandomized Hypothesis run, no example database. Every response must not be a 5xx and must
match the documented schema for its status. Inputs that once found a bug are kept in
test_fuzz_regressions.py.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

APP = get_wsgi_application()
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "4"))
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)

openapi = schemathesis.openapi.from_wsgi("/api/schema/", APP)


def _graphql_schema():
    """Loaded from the schema object itself: introspecting over HTTP needs a login (CSRF or a
    token) before the database exists."""
    from graphql import introspection_from_schema

    from hokwe.schema import schema

    loaded = schemathesis.graphql.from_dict(introspection_from_schema(schema.graphql_schema))
    loaded.app = APP
    loaded.location = "/graphql"
    return loaded


graphql = _graphql_schema()


@pytest.fixture
def auth_headers(db, settings):
    """A normal user (no staff role, member of one organization) and a fresh access token;
    throttles off so the fuzzer measures the endpoints, not the limiter."""
    from apps.identity.services.tokens import tokens_issue
    from tests.identity.factories import MembershipFactory

    settings.HOKWE_THROTTLING_ENABLED = False
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    user = MembershipFactory(role="owner").user
    token = tokens_issue(user=user, auth_method="otp").access_token
    # The raw WSGI app closes the DB connection around each request (request_started/finished), which
    # would end the test's transaction: keep it open, as Django's test client does.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {token}"}
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# Findings inside other modules' code that are not trivial to fix from here: the operation
# still runs (no 5xx allowed) but its response schema is not enforced until the owner fixes
# it. Remove an entry once fixed; the test fails when an entry no longer matches anything.
KNOWN_SCHEMA_ISSUES: dict[str, str] = {
    # "GET /api/v1/identity/organizations": "identity: documented as a list, answered as a page"
    # (found by this test, fixed by identity; kept as the example of an entry).
}


def no_graphql_server_error(ctx, response, case):
    """No 5xx, and no masked resolver crash (`extensions.code: server_error`). Typed domain
    errors (not_found, forbidden, …) are answers, not failures."""
    assert response.status_code < 500, f"HTTP {response.status_code}"
    try:
        body = response.json()
    except ValueError:
        raise AssertionError("the response is not JSON") from None
    crashes = [
        e for e in (body.get("errors") or []) if (e.get("extensions") or {}).get("code") == "server_error"
    ]
    assert not crashes, f"resolver crashed: {crashes[0]}"


@pytest.mark.django_db(transaction=False)
@openapi.parametrize()
@FUZZ
def test_openapi_operations(case, auth_headers):
    checks = [not_a_server_error]
    if case.operation.label not in KNOWN_SCHEMA_ISSUES:
        checks.append(response_schema_conformance)
    case.call_and_validate(headers=auth_headers, checks=checks)


@pytest.mark.django_db(transaction=False)
@graphql.parametrize()
@FUZZ
def test_graphql_operations(case, auth_headers):
    case.call_and_validate(headers=auth_headers, checks=[no_graphql_server_error])


def test_known_issues_still_name_real_operations():
    labels = {result.ok().label for result in openapi.get_all_operations()}
    stale = sorted(set(KNOWN_SCHEMA_ISSUES) - labels)
    assert not stale, f"remove fixed or renamed entries from KNOWN_SCHEMA_ISSUES: {stale}"


STATEFUL = settings(
    max_examples=int(os.environ.get("FUZZ_STATEFUL_EXAMPLES", "5")),
    stateful_step_count=6,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.django_db(transaction=False)
def test_openapi_stateful_links(auth_headers):
    """Sequences of calls linked by the schema (an intent created, then read, attempted,
    confirmed, canceled; a property created, then its units…): schemathesis infers the links
    from the responses' ids and the operations' parameters. Every step: no 5xx, the documented
    schema, and no object reachable after it was deleted."""
    from hypothesis.stateful import run_state_machine_as_test
    from schemathesis.checks import not_a_server_error, response_schema_conformance
    from schemathesis.specs.openapi.checks import use_after_free

    base = openapi.as_state_machine()
    # ~320 links inferred (an intent's id to its attempts, confirm, cancel; a property's to its units…)
    assert openapi.statistic.transitions.total > 100, openapi.statistic.transitions

    class Calls(base):
        def get_call_kwargs(self, case):
            return {"headers": auth_headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance, use_after_free]
            )

    run_state_machine_as_test(Calls, settings=STATEFUL)
