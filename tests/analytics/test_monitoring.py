"""Payment success monitoring: payments' events counted once per provider and method, served
to Prometheus, with an alert rule and a Grafana panel on that series (docs/analytics.md,
« Payment success monitoring »)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
import yaml
from prometheus_client import REGISTRY, generate_latest

from apps.analytics.models import Rollup
from apps.analytics.services.monitoring import payment_success_rates
from apps.core.models import OutboxEvent
from apps.core.outbox import dispatch, publish
from apps.payments.events import PaymentFailed, PaymentSucceeded

ROOT = Path(__file__).resolve().parents[2]


def _succeeded(org, provider="kkiapay", method="mtn_momo") -> PaymentSucceeded:
    intent = str(uuid.uuid4())
    return PaymentSucceeded(
        intent_id=intent,
        organization_id=str(org.public_id),
        amount=25_000,
        currency="XOF",
        fee_amount=0,
        credit_account=str(uuid.uuid4()),
        purpose_type="tests.Nothing",
        purpose_id=intent,
        provider=provider,
        method=method,
        payer_id=None,
        receipt_number="R-1",
        succeeded_at="2026-11-24T09:30:00+00:00",
        ledger_transfer=str(uuid.uuid4()),
    )


def _failed(org, provider="kkiapay", method="") -> PaymentFailed:
    intent = str(uuid.uuid4())
    return PaymentFailed(
        intent_id=intent,
        attempt_id=str(uuid.uuid4()),
        organization_id=str(org.public_id),
        purpose_type="tests.Nothing",
        purpose_id=intent,
        provider=provider,
        reason="declined",
        method=method,
    )


def _deliver(event) -> OutboxEvent:
    row = publish(event)
    assert dispatch(row.id) is True  # every module's handlers, ours among them
    return row


def _samples() -> dict[tuple, float]:
    out = {}
    for family in REGISTRY.collect():
        if family.name != "hokwe_analytics_payments":
            continue
        for sample in family.samples:
            if sample.name == "hokwe_analytics_payments_total":
                labels = sample.labels
                out[(labels["provider"], labels["method"], labels["outcome"])] = sample.value
    return out


@pytest.mark.django_db
def test_payments_events_are_counted_once_per_provider_and_method(org_a):
    first = _deliver(_succeeded(org_a))
    _deliver(_succeeded(org_a))
    _deliver(_succeeded(org_a, method="card"))
    _deliver(_failed(org_a))
    _deliver(_failed(org_a, method="mtn_momo"))
    _deliver(_succeeded(org_a, provider="sandbox", method="cash"))
    # a redelivery of the first event (the sweep, a replay) counts nothing more
    OutboxEvent.objects.filter(pk=first.pk).update(status=OutboxEvent.Status.PENDING)
    dispatch(first.pk)
    rates = {(r.provider, r.method): (r.succeeded, r.failed) for r in payment_success_rates()}
    assert rates == {
        ("kkiapay", "mtn_momo"): (2, 1),
        ("kkiapay", "card"): (1, 0),
        ("kkiapay", "unknown"): (0, 1),  # an older PaymentFailed, with no method
        ("sandbox", "cash"): (1, 0),
    }
    # one rollup row per day, organization and « provider/method »
    day_rows = Rollup.objects.filter(scope="org", grain="d", metric="payments.succeeded")
    assert sorted(day_rows.values_list("dimension", "count")) == [
        ("kkiapay/card", 1),
        ("kkiapay/mtn_momo", 2),
        ("sandbox/cash", 1),
    ]


@pytest.mark.django_db
def test_prometheus_reads_the_counter_from_the_database(org_a):
    for _ in range(3):
        _deliver(_succeeded(org_a))
    _deliver(_failed(org_a))
    samples = _samples()
    assert samples[("kkiapay", "mtn_momo", "succeeded")] == 3
    assert samples[("kkiapay", "mtn_momo", "failed")] == 0
    assert samples[("kkiapay", "unknown", "failed")] == 1
    text = generate_latest(REGISTRY).decode()
    assert "# TYPE hokwe_analytics_payments_total counter" in text


@pytest.mark.django_db
def test_a_scrape_survives_a_database_error(monkeypatch):
    from apps.analytics import metrics

    collector = metrics.register()
    original = collector.source

    def broken():
        raise RuntimeError("database away")

    collector.source = broken  # the source the collector is given, not our function patched
    try:
        families = list(collector.collect())
    finally:
        collector.source = original
    assert families[0].name == "hokwe_analytics_payments" and families[0].samples == []


def test_the_alert_and_the_panel_read_that_series():
    rules = yaml.safe_load((ROOT / "deploy/prometheus/alerts.yml").read_text())
    ours = [
        r for g in rules["groups"] for r in g["rules"] if r["alert"] == "HokwePaymentMethodSuccessRateLow"
    ]
    assert ours and "hokwe_analytics_payments_total" in ours[0]["expr"]
    assert "by (provider, method)" in ours[0]["expr"]
    tests = (ROOT / "deploy/prometheus/alerts.test.yml").read_text()
    assert "alertname: HokwePaymentMethodSuccessRateLow" in tests
    board = json.loads((ROOT / "deploy/grafana/dashboards/payments.json").read_text())
    panel = next(p for p in board["panels"] if p["title"] == "Payment success rate by provider and method")
    assert "hokwe_analytics_payments_total" in panel["targets"][0]["expr"]
    assert panel["fieldConfig"]["defaults"]["unit"] == "percentunit"
