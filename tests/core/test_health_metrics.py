import pytest

pytestmark = pytest.mark.django_db


def test_healthz_is_alive_without_touching_dependencies(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_database_cache_and_real_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # check the real Redis broker, not in-process
    response = client.get("/readyz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert {checks[name]["status"] for name in ("database", "cache", "broker")} == {"ok"}
    assert "mode" not in checks["broker"]


def test_readyz_is_503_with_details_when_the_broker_is_down(client, settings, unused_tcp_port):
    from hokwe.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    original = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{unused_tcp_port}/0"  # nothing listens there
    try:
        response = client.get("/readyz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"


def test_probes_ignore_the_host_header(client):
    # Kubelets probe by pod IP: an unknown Host must not turn the probe into a 400.
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200


def test_metrics_served_to_allowed_networks_only(client, settings):
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert b"django_http_requests_total_by_method_total" in response.content
    assert b"hokwe_outbox_events_published_total" in response.content
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    settings.METRICS_TOKEN = "scrape-token-123"
    ok = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer scrape-token-123")
    assert ok.status_code == 200
    bad = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer wrong")
    assert bad.status_code == 404
