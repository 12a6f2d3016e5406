"""Gateway duties in the app: rate limits on every surface (429 + Retry-After), CORS for
configured origins only, CSP with nonces and frame-ancestors, deprecation headers,
per-endpoint body limits."""

import json

import pytest
from django.http import HttpResponse, JsonResponse
from django.test import Client, override_settings
from django.urls import path, re_path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import ratelimit
from apps.core.gateway import body_limit, deprecated
from hokwe import urls as project_urls

pytestmark = pytest.mark.django_db


class PaymentCreate(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_scope = "payments.create"

    def post(self, request, version):
        return Response({"ok": True}, status=201)


class OrgScoped(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request, version, org_id):
        return Response({"org": str(org_id)})


@deprecated(sunset="2027-07-01", link="https://docs.hokwe.com/api/changes")
class OldThing(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request, version):
        return Response({"old": True})


@body_limit(1000, content_types=("image/png", "image/jpeg"))
def avatar_upload(request):
    return JsonResponse({"size": len(request.body)})


def checkout_page(request):
    return HttpResponse("<html><body>checkout</body></html>")


def plain_page(request):
    return HttpResponse(f'<html><script nonce="{request.csp_nonce}">1</script></html>')


urlpatterns = [
    re_path(r"^api/(?P<version>v1)/test/payments/$", PaymentCreate.as_view()),
    re_path(r"^api/(?P<version>v1)/test/orgs/(?P<org_id>[0-9a-f-]+)/$", OrgScoped.as_view()),
    re_path(r"^api/(?P<version>v1)/test/old/$", OldThing.as_view()),
    path("upload/avatar/", avatar_upload),
    path("checkout/widget/", checkout_page),
    path("pay/landing/", plain_page),
    path("manager/plain/", plain_page),
    *project_urls.urlpatterns,
]
handler404 = project_urls.handler404


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = __name__


def _rates(settings, **rates):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }


# --- rate limits ----------------------------------------------------------------------------


def test_limiter_counts_per_key_and_says_when_to_retry():
    rate = ratelimit.Rate.parse("3/min")
    assert rate == ratelimit.Rate(limit=3, period=60)
    assert ratelimit.Rate.parse("100/10s") == ratelimit.Rate(limit=100, period=10)
    decisions = [ratelimit.check("t", key="a", rate=rate) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    # the previous window still weighs after this one ends: honest waits go up to 2 periods
    assert 1 <= decisions[-1].retry_after <= 120
    assert ratelimit.check("t", key="b", rate=rate).allowed  # another caller has its own budget
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit("t", key="a", rate=rate)
    assert refused.value.status == 429 and refused.value.retry_after >= 1


def test_payment_creation_scope_is_stricter_and_answers_429_problem(settings):
    _rates(settings, **{"payments.create": "2/min"})
    client = Client()
    url = "/api/v1/test/payments/"
    assert [client.post(url).status_code for _ in range(2)] == [201, 201]
    refused = client.post(url)
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/problem+json")
    assert int(refused["Retry-After"]) >= 1
    body = refused.json()
    assert body["code"] == "throttled" and body["status"] == 429 and body["request_id"]


def test_organization_budget_is_shared_by_all_callers(settings):
    _rates(settings, org="2/min", anon="1000/min")
    org = "3f1c2b9e-7a41-4c0e-9d53-2a7d1f0e8b11"
    callers = [Client(REMOTE_ADDR=f"10.0.0.{n}") for n in range(3)]
    statuses = [c.get(f"/api/v1/test/orgs/{org}/").status_code for c in callers]
    assert statuses == [200, 200, 429]
    other_org = "5b2d7c1a-1111-4c0e-9d53-2a7d1f0e8b11"
    assert callers[2].get(f"/api/v1/test/orgs/{other_org}/").status_code == 200


def test_graphql_is_throttled_per_caller_with_retry_after(settings, user):
    _rates(settings, graphql="2/min")
    client = Client()
    client.force_login(user)
    query = {"query": "{ serverInfo { version } }"}
    ok = [client.post("/graphql", query, content_type="application/json").status_code for _ in range(2)]
    assert ok == [200, 200]
    refused = client.post("/graphql", query, content_type="application/json")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert refused.json()["code"] == "throttled"


def test_page_logins_are_throttled_per_ip_with_a_page(settings):
    _rates(settings, auth="2/min")
    client = Client()
    for _ in range(2):
        client.post("/manager/login/", {"username": "+22901600000", "password": "x"})
    refused = client.post("/manager/login/", {"username": "+22901600000", "password": "x"})
    assert refused.status_code == 429
    assert "text/html" in refused["Content-Type"] and int(refused["Retry-After"]) >= 1
    assert "Trop de requêtes" in refused.content.decode()


def test_throttling_can_be_switched_off(settings):
    _rates(settings, **{"payments.create": "1/min"})
    settings.HOKWE_THROTTLING_ENABLED = False
    assert [Client().post("/api/v1/test/payments/").status_code for _ in range(3)] == [201, 201, 201]


# --- CORS -----------------------------------------------------------------------------------


def test_cors_only_for_configured_origins(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.hokwe.com"]
    client = Client()
    allowed = client.options(
        "/api/v1/test/payments/",
        HTTP_ORIGIN="https://app.hokwe.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, idempotency-key",
    )
    assert allowed["Access-Control-Allow-Origin"] == "https://app.hokwe.com"
    assert "idempotency-key" in allowed["Access-Control-Allow-Headers"]
    refused = client.options(
        "/api/v1/test/payments/",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "Access-Control-Allow-Origin" not in refused
    page = client.get("/manager/login/", HTTP_ORIGIN="https://app.hokwe.com")
    assert "Access-Control-Allow-Origin" not in page  # only /api/ and /graphql


# --- security headers -------------------------------------------------------------------------


def test_pages_get_a_strict_csp_with_a_fresh_nonce():
    client = Client()
    first, second = client.get("/manager/plain/"), client.get("/manager/plain/")
    policy = first["Content-Security-Policy"]
    nonce = first.content.decode().split('nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in policy
    assert (
        "script-src 'self' 'nonce-" in policy
        and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert nonce not in second["Content-Security-Policy"]
    assert first["X-Frame-Options"] == "DENY"


def test_checkout_can_be_framed_only_by_the_configured_hosts(settings):
    settings.CHECKOUT_EMBED_ORIGINS = ["https://shop.example.com", "https://*.partner.bj"]
    response = Client().get("/checkout/widget/")
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://shop.example.com https://*.partner.bj" in policy
    assert "X-Frame-Options" not in response
    elsewhere = Client().get("/pay/landing/")
    assert "frame-ancestors 'none'" in elsewhere["Content-Security-Policy"]


def test_api_responses_get_a_no_content_policy():
    response = Client().post("/api/v1/test/payments/")
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


# --- deprecation ----------------------------------------------------------------------------


def test_a_deprecated_view_announces_its_sunset():
    response = Client().get("/api/v1/test/old/")
    assert response["Deprecation"].startswith("@")
    assert response["Sunset"] == "Thu, 01 Jul 2027 00:00:00 GMT"
    assert '<https://docs.hokwe.com/api/changes>; rel="deprecation"' in response["Link"]
    assert "Deprecation" not in Client().post("/api/v1/test/payments/")


def test_a_deprecated_api_version_marks_every_response(settings):
    settings.HOKWE_API_DEPRECATIONS = {
        "v1": {"deprecation": "2027-01-01", "sunset": "2027-07-01", "link": "https://docs.hokwe.com/v2"}
    }
    response = Client().post("/api/v1/test/payments/")
    assert response["Deprecation"] == "@1798761600"  # 2027-01-01T00:00:00Z
    assert response["Sunset"] == "Thu, 01 Jul 2027 00:00:00 GMT"
    assert 'rel="sunset"' in response["Link"]


# --- body limits ----------------------------------------------------------------------------


def test_an_endpoint_can_have_its_own_upload_limit_and_types():
    client = Client()
    small = client.post("/upload/avatar/", b"x" * 999, content_type="image/png")
    assert small.status_code == 200
    big = client.post("/upload/avatar/", b"x" * 1001, content_type="image/png")
    assert big.status_code == 413 and big.json()["code"] == "body_too_large"
    wrong = client.post("/upload/avatar/", b"x" * 10, content_type="application/pdf")
    assert wrong.status_code == 415 and wrong.json()["code"] == "unsupported_media_type"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_global_limit_still_applies():
    response = Client().post(
        "/api/v1/test/payments/", json.dumps({"x": "y" * 200}), content_type="application/json"
    )
    assert response.status_code == 413


# --- the client's address behind the gateway ----------------------------------------------------


def test_the_client_address_comes_from_trusted_proxies_only(settings):
    from apps.core.gateway import TrustedProxyMiddleware

    seen = []
    middleware = TrustedProxyMiddleware(lambda request: seen.append(request.META["REMOTE_ADDR"]))
    from django.test import RequestFactory

    rf = RequestFactory()
    settings.TRUSTED_PROXY_CIDRS = ["10.0.0.0/8"]
    middleware(rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 197.234.1.2, 10.9.9.9"))
    middleware(rf.get("/", REMOTE_ADDR="41.0.0.7", HTTP_X_FORWARDED_FOR="1.1.1.1"))  # not a proxy
    middleware(rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="not-an-ip"))
    settings.TRUSTED_PROXY_CIDRS = []
    middleware(rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="197.234.1.2"))
    assert seen == ["197.234.1.2", "41.0.0.7", "10.1.2.3", "10.1.2.3"]


def test_per_ip_limits_see_the_real_client_behind_the_proxy(settings):
    _rates(settings, **{"payments.create": "1/min"})
    settings.TRUSTED_PROXY_CIDRS = ["172.16.0.0/12"]
    proxy = {"REMOTE_ADDR": "172.18.0.5"}
    first = Client(HTTP_X_FORWARDED_FOR="197.234.1.2", **proxy).post("/api/v1/test/payments/")
    other = Client(HTTP_X_FORWARDED_FOR="197.234.1.3", **proxy).post("/api/v1/test/payments/")
    again = Client(HTTP_X_FORWARDED_FOR="197.234.1.2", **proxy).post("/api/v1/test/payments/")
    assert (first.status_code, other.status_code, again.status_code) == (201, 201, 429)
