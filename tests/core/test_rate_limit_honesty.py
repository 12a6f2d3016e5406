"""Honest rate limits (issue 17, item 5): waiting exactly Retry-After is enough and one second
less is not; refused calls are not counted; several limits answer the longest wait; every
counted API response carries RateLimit-Limit / -Remaining / -Reset (IETF draft).

Time is moved with time_machine (the limiter reads Python's clock), never slept."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import path, re_path
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import ratelimit
from hokwe import urls as project_urls

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 10, 0, 17, 300000, tzinfo=UTC)  # mid-window, not on a second


class Scoped(APIView):
    """A DRF route with its own scope (and the default anon throttle on top)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_scope = "test.scoped"

    def post(self, request, version):
        return Response({"ok": True}, status=201)


class CodeRequest(APIView):
    """A service-level limit: the view's service calls `ratelimit.hit` itself."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []

    def post(self, request, version):
        ratelimit.hit("test.code", key=f"phone:{request.data.get('phone', '')}", rate="3/min")
        return Response({"sent": True}, status=202)


def pay_page(request):
    from django.http import HttpResponse

    return HttpResponse("<html><body>pay</body></html>")


urlpatterns = [
    re_path(r"^api/(?P<version>v1)/test/rl/scoped/$", Scoped.as_view()),
    re_path(r"^api/(?P<version>v1)/test/rl/code/$", CodeRequest.as_view()),
    path("pay/rl-test/", pay_page),
    *project_urls.urlpatterns,
]
handler404 = project_urls.handler404


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.HOKWE_THROTTLING_ENABLED = True


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def _rates(settings, **rates):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }


def _headers(response) -> tuple[int, int, int]:
    return (
        int(response["RateLimit-Limit"]),
        int(response["RateLimit-Remaining"]),
        int(response["RateLimit-Reset"]),
    )


def _exhaust(call, limit: int, ok: int):
    """`limit` accepted calls with Remaining counting down, then a refusal; returns it."""
    for n in range(limit):
        response = call()
        assert response.status_code == ok, response.content
        assert _headers(response)[:2] == (limit, limit - n - 1)
        assert int(response["RateLimit-Reset"]) >= 1
    refused = call()
    assert refused.status_code == 429
    retry_after = int(refused["Retry-After"])
    assert retry_after >= 1
    assert _headers(refused)[:2] == (limit, 0)
    assert int(refused["RateLimit-Reset"]) >= retry_after
    return refused


def _wait_is_exact(clock, call, refused, ok: int):
    """One second short of Retry-After still refuses (and says 1 s); Retry-After succeeds."""
    retry_after = int(refused["Retry-After"])
    if retry_after > 1:
        clock.shift(timedelta(seconds=retry_after - 1))
        early = call()
        assert early.status_code == 429
        assert early["Retry-After"] == "1"  # the early call was not counted against the budget
        clock.shift(timedelta(seconds=1))
    else:
        clock.shift(timedelta(seconds=1))
    accepted = call()
    assert accepted.status_code == ok, accepted.content
    return accepted


# --- a DRF-throttled route ------------------------------------------------------------------


def test_drf_scope_retry_after_is_exactly_enough(settings, clock):
    _rates(settings, **{"test.scoped": "3/min", "anon": "1000/min"})
    client = Client()

    def call():
        return client.post("/api/v1/test/rl/scoped/")

    refused = _exhaust(call, 3, 201)
    assert refused["Content-Type"].startswith("application/problem+json")
    for _ in range(10):  # hammering while refused does not push the retry time back
        assert call()["Retry-After"] == refused["Retry-After"]
    _wait_is_exact(clock, call, refused, 201)


def test_drf_refusal_by_several_limits_gives_the_longest_wait_and_counts_nothing(settings, clock):
    _rates(settings, **{"test.scoped": "2/min", "anon": "3/10min"})
    client = Client()

    def call():
        return client.post("/api/v1/test/rl/scoped/")

    assert [call().status_code for _ in range(2)] == [201, 201]
    refused = call()  # the scope refuses (2/min); anon still had 1 call left and keeps it
    assert refused.status_code == 429
    scope_wait = int(refused["Retry-After"])
    assert scope_wait <= 120
    clock.shift(timedelta(seconds=scope_wait))
    assert call().status_code == 201  # anon's last call: the refused one did not use it
    both = call()  # now the scope and anon refuse: the wait is anon's (10 min window)
    assert both.status_code == 429
    assert int(both["Retry-After"]) > 120
    assert int(both["RateLimit-Limit"]) == 3  # the header describes the limit that refused longest
    _wait_is_exact(clock, call, both, 201)


def test_login_code_route_is_honest(settings, clock):
    _rates(settings, **{"identity.otp_request": "2/min"})
    client = Client()
    phones = iter(f"+2290197{n:06d}" for n in range(100))

    def call():
        return client.post(
            "/api/v1/auth/otp/request", {"phone": next(phones)}, content_type="application/json"
        )

    refused = _exhaust(call, 2, 202)
    _wait_is_exact(clock, call, refused, 202)


# --- the gateway's path limits --------------------------------------------------------------


def test_gateway_path_limit_retry_after_is_exactly_enough(settings, clock):
    # /pay/ POSTs count against payments.create (per client) and pages.pay (per IP).
    _rates(settings, **{"payments.create": "2/min", "pages.pay": "100/min"})
    client = Client()

    def call():
        return client.post("/pay/rl-test/")

    refused = _exhaust(call, 2, 200)
    assert "text/html" in refused["Content-Type"]
    _wait_is_exact(clock, call, refused, 200)


def test_graphql_path_limit_is_honest(settings, clock):
    _rates(settings, graphql="2/min")
    client = Client()
    query = {"query": "{ serverInfo { version } }"}

    def call():
        return client.post("/graphql", query, content_type="application/json")

    refused = _exhaust(call, 2, 200)
    assert refused.json()["code"] == "throttled"
    _wait_is_exact(clock, call, refused, 200)


def test_gateway_refusal_does_not_spend_the_other_rules_budget(settings, clock):
    _rates(settings, **{"payments.create": "1/min", "pages.pay": "3/h"})
    client = Client()
    assert client.post("/pay/rl-test/").status_code == 200
    for _ in range(5):  # refused by payments.create: pages.pay must not count these
        assert client.post("/pay/rl-test/").status_code == 429
    assert client.get("/pay/rl-test/").status_code == 200  # GET: pages.pay only
    assert client.get("/pay/rl-test/").status_code == 200  # its 3rd call: 2 refused POSTs not counted
    refused = client.get("/pay/rl-test/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 60


# --- a service-level ratelimit.hit scope ----------------------------------------------------


def test_service_level_hit_retry_after_is_exactly_enough(clock):
    client = Client()

    def call():
        return client.post(
            "/api/v1/test/rl/code/", {"phone": "+22901970001"}, content_type="application/json"
        )

    refused = _exhaust(call, 3, 202)
    assert refused.json()["code"] == "throttled"
    _wait_is_exact(clock, call, refused, 202)
    other = client.post("/api/v1/test/rl/code/", {"phone": "+22901970002"}, content_type="application/json")
    assert other.status_code == 202 and _headers(other)[:2] == (3, 2)


def test_a_scope_is_counted_once_per_request(settings, clock):
    """The gateway and the view checking the same scope and key in one request count it once."""

    _rates(settings, **{"payments.create": "2/min", "pages.pay": "100/min", "anon": "1000/min"})
    settings.HOKWE_THROTTLE_RULES = [(r"^/api/v1/test/rl/scoped/$", ("POST",), "payments.create", "client")]
    Scoped.throttle_scope = "payments.create"
    try:
        client = Client()
        statuses = [client.post("/api/v1/test/rl/scoped/").status_code for _ in range(3)]
    finally:
        Scoped.throttle_scope = "test.scoped"
    assert statuses == [201, 201, 429]


# --- the limiter itself, under any earlier traffic ------------------------------------------


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    limit=st.integers(min_value=1, max_value=6),
    period=st.sampled_from([10, 60, 3600]),
    gaps=st.lists(st.floats(min_value=0, max_value=1.5), min_size=1, max_size=25),
    offset=st.floats(min_value=0, max_value=1),
)
def test_retry_after_is_the_shortest_honest_wait(time_machine, limit, period, gaps, offset):
    rate = ratelimit.Rate(limit=limit, period=period)
    key = uuid.uuid4().hex
    time_machine.move_to(START + timedelta(seconds=offset * period), tick=False)
    for gap in gaps:  # earlier traffic, allowed or refused, at arbitrary moments
        time_machine.shift(timedelta(seconds=gap * period / 4))
        refused = ratelimit.check("prop", key=key, rate=rate)
    while refused.allowed:  # keep calling until refused
        refused = ratelimit.check("prop", key=key, rate=rate)
    wait = refused.retry_after
    assert 1 <= wait <= 2 * period and refused.remaining == 0
    if wait > 1:
        time_machine.shift(timedelta(seconds=wait - 1))
        assert not ratelimit.check("prop", key=key, rate=rate).allowed
        time_machine.shift(timedelta(seconds=1))
    else:
        time_machine.shift(timedelta(seconds=1))
    assert ratelimit.check("prop", key=key, rate=rate).allowed


def test_openapi_documents_each_operations_limits():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/auth/otp/request"]["post"]
    scopes = {entry["scope"]: entry for entry in operation["x-ratelimit"]}
    assert scopes["identity.otp_request"]["limit"] >= 1 and scopes["identity.otp_request"]["window"] == 60
    assert "identity.otp_request" in operation["description"]
