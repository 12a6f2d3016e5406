"""Tracing (OpenTelemetry, in-memory exporter), trace ids in the JSON logs, Sentry's PII
scrubber, and the generic metrics (queue depth, task latency, webhook lag)."""

import json
import logging

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.test import Client
from django.urls import path

from apps.core import metrics, sentry, tracing
from apps.core.logging import configure_logging
from hokwe import urls as project_urls

pytestmark = pytest.mark.django_db


def traced_view(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    cache.set("tracing-probe", "1", 10)
    logging.getLogger("hokwe.test").warning("inside_traced_view")
    return JsonResponse({"ok": True})


urlpatterns = [path("traced/", traced_view), *project_urls.urlpatterns]


@pytest.fixture
def spans(settings):
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    settings.ROOT_URLCONF = __name__
    exporter = InMemorySpanExporter()
    tracing.configure_tracing(exporter=exporter, force=True)
    yield exporter
    tracing.shutdown_tracing()


def test_spans_for_django_psycopg_redis_httpx_and_the_trace_id_in_logs(spans, capsys, httpserver):
    configure_logging(level="INFO", fmt="json")  # a handler on the captured stderr
    try:
        response = Client().get("/traced/")
        assert response.status_code == 200
        import httpx

        httpserver.expect_request("/provider").respond_with_json({"status": "ok"})
        httpx.get(httpserver.url_for("/provider"), timeout=5)
    finally:
        captured = capsys.readouterr().err
        configure_logging(level="WARNING", fmt="json")

    finished = spans.get_finished_spans()
    by_scope = {}
    for span in finished:
        by_scope.setdefault(span.instrumentation_scope.name, []).append(span)
    server = [s for s in by_scope.get("opentelemetry.instrumentation.django", []) if s.kind.name == "SERVER"]
    assert server and server[0].attributes.get("http.route", "traced/").endswith("traced/")
    assert any("psycopg" in scope for scope in by_scope), sorted(by_scope)
    assert any("redis" in scope for scope in by_scope), sorted(by_scope)
    assert any("httpx" in scope for scope in by_scope), sorted(by_scope)

    line = next(json.loads(x) for x in captured.splitlines() if "inside_traced_view" in x)
    trace_id = f"{server[0].context.trace_id:032x}"
    assert line["trace_id"] == trace_id and line["span_id"] and line["request_id"]
    db_spans = [s for scope, items in by_scope.items() if "psycopg" in scope for s in items]
    assert any(f"{s.context.trace_id:032x}" == trace_id for s in db_spans)  # one trace end to end


def test_celery_tasks_are_traced(spans):
    from apps.core.tasks import outbox_sweep

    outbox_sweep.apply()
    names = [s.name for s in spans.get_finished_spans()]
    assert any("core.outbox_sweep" in name for name in names), names


def test_tracing_is_off_by_default(settings):
    settings.OTEL_ENABLED = False
    tracing._configured = False
    assert tracing.configure_tracing() is False
    assert tracing.current_trace_ids() == {}


# --- Sentry ---------------------------------------------------------------------------------


PII_EVENT = {
    "message": "OTP 482913 sent to +229 97 12 34 56 (awa@example.com)",
    "request": {
        "url": "https://api.hokwe.com/api/v1/auth/otp/verify?phone=%2B22997123456",
        "query_string": "phone=+22997123456&email=awa@example.com",
        "headers": {
            "Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc",
            "User-Agent": "HokweApp",
        },
        "cookies": {"sessionid": "abc"},
        "data": {"phone": "+22997123456", "code": "482913", "amount": 25000},
    },
    "user": {"id": "42", "email": "awa@example.com", "ip_address": "197.234.1.2"},
    "breadcrumbs": {"values": [{"message": "login for +22997123456 with code: 123456"}]},
    "exception": {
        "values": [
            {
                "stacktrace": {
                    "frames": [{"vars": {"refresh_token": "r-123", "msisdn": "22997123456", "count": 3}}]
                }
            }
        ]
    },
    "extra": {"note": "contact awa@example.com"},
}


def test_the_scrubber_removes_personal_data_and_secrets():
    event = sentry.scrub_event(json.loads(json.dumps(PII_EVENT)))
    text = json.dumps(event)
    for secret in (
        "482913",
        "123456",
        "97123456",
        "97 12 34 56",
        "awa@example.com",
        "eyJhbGci",
        "r-123",
        'abc"',
    ):
        assert secret not in text, secret
    assert "cookies" not in event["request"]
    assert event["request"]["headers"]["Authorization"] == "[Filtered]"
    assert event["request"]["headers"]["User-Agent"] == "HokweApp"
    assert event["request"]["data"]["amount"] == 25000  # business values that are not PII stay
    assert event["user"] == {"id": "42"}
    assert event["exception"]["values"][0]["stacktrace"]["frames"][0]["vars"]["count"] == 3


def test_sentry_is_off_without_a_dsn_and_scrubs_what_it_sends(settings):
    settings.SENTRY_DSN = ""
    assert sentry.configure_sentry() is False

    import sentry_sdk

    sent = []

    class Capture(sentry_sdk.transport.Transport):
        def capture_envelope(self, envelope):
            sent.extend(item.payload.json for item in envelope.items if item.payload.json)

    settings.SENTRY_DSN = "https://public@sentry.example.com/1"
    try:
        assert sentry.configure_sentry(transport=Capture) is True
        try:
            raise ValueError("payout to +22997123456 failed for awa@example.com")
        except ValueError as exc:
            sentry_sdk.capture_exception(exc)
        sentry_sdk.flush()
    finally:
        sentry_sdk.init(dsn=None)
    assert sent, "nothing captured"
    text = json.dumps(sent)
    assert "+22997123456" not in text and "awa@example.com" not in text and "ValueError" in text


# --- metrics --------------------------------------------------------------------------------


def _sample(name, labels):
    from prometheus_client import REGISTRY

    return REGISTRY.get_sample_value(name, labels)


def test_queue_depth_is_read_from_the_broker(settings):
    import redis

    settings.CELERY_BROKER_URL = settings.REDIS_URL
    settings.HOKWE_MONITORED_QUEUES = ["gw-test-queue"]
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete("gw-test-queue")
    client.rpush("gw-test-queue", "a", "b", "c")
    try:
        collector = metrics.CeleryQueueCollector()
        [family] = list(collector.collect())
        assert [(s.labels, s.value) for s in family.samples] == [({"queue": "gw-test-queue"}, 3)]
    finally:
        client.delete("gw-test-queue")
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # broker down: the scrape still works
    [family] = list(metrics.CeleryQueueCollector().collect())
    assert family.samples == []


def test_task_duration_and_webhook_lag():
    import time

    from apps.core.tasks import outbox_sweep

    labels = {"task": "core.outbox_sweep", "outcome": "success"}
    before = _sample("hokwe_celery_task_duration_seconds_count", labels) or 0
    outbox_sweep.apply()
    assert _sample("hokwe_celery_task_duration_seconds_count", labels) == before + 1

    before = _sample("hokwe_webhook_lag_seconds_count", {"provider": "kkiapay"}) or 0
    metrics.observe_webhook_lag("kkiapay", time.time() - 12)
    assert _sample("hokwe_webhook_lag_seconds_count", {"provider": "kkiapay"}) == before + 1
    assert _sample("hokwe_webhook_lag_seconds_bucket", {"provider": "kkiapay", "le": "10.0"}) == 0 or before
