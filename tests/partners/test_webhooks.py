"""Outbound webhooks against a real local receiver (http.server in a thread): the signature
is verifiable by the documented algorithm, retries follow the schedule (time is passed in as
`now`: no sleeps), a receiver that hangs never touches the payment path, replay adds an
attempt, and an endpoint that keeps failing is disabled with an e-mail to the owners."""

import hashlib
import hmac
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from apps.core.outbox import publish
from apps.partners import api as partners
from apps.partners import services
from apps.partners.contracts import RETRY_DELAYS
from apps.partners.models import Delivery, WebhookEndpoint
from apps.payments.events import PaymentFailed, PaymentSucceeded

pytestmark = pytest.mark.django_db


def succeeded(org, intent_id="6c7f6f2e-64f9-4a3c-9a55-0f4a2a0c1b11", amount=75_000):
    return PaymentSucceeded(
        intent_id=intent_id,
        organization_id=str(org.public_id),
        amount=amount,
        currency="XOF",
        fee_amount=0,
        credit_account="acc",
        purpose_type="partner.Rent",
        purpose_id="apt-b2-2026-12",
        provider="sandbox",
        method="mobile_money",
        payer_id=None,
        receipt_number="PAY-2026-000001",
        succeeded_at="2026-12-03T08:00:00+00:00",
        ledger_transfer="t-1",
    )


def emit(event, django_capture_on_commit_callbacks):
    """Publish like payments does, and let the outbox run the handlers after commit."""
    with django_capture_on_commit_callbacks(execute=True):
        publish(event)


def drive(delivery, *, until_done=True, limit=20):
    """Run each attempt at the time it is due; returns the times used."""
    times = []
    for _ in range(limit):
        delivery.refresh_from_db()
        if delivery.status != Delivery.Status.PENDING:
            break
        times.append(delivery.next_attempt_at)
        services.deliver_due(now=delivery.next_attempt_at)
        if not until_done:
            break
    delivery.refresh_from_db()
    return times


def test_an_event_is_posted_signed_and_verifiable(
    endpoint, org, receiver, django_capture_on_commit_callbacks
):
    emit(succeeded(org), django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.status == "pending" and receiver.received == []  # nothing sent by the handler
    done = services.deliver_due(now=delivery.next_attempt_at)
    assert [d.status for d in done] == ["succeeded"]
    (request,) = receiver.received
    header = request.headers["Hokwe-Signature"]
    stamp = int(header.split(",")[0].removeprefix("t="))
    # the documented algorithm, written out
    expected = hmac.new(
        endpoint.secret.encode(), f"{stamp}.".encode() + request.body, hashlib.sha256
    ).hexdigest()
    assert f"v1={expected}" in header
    assert partners.verify_signature(endpoint.secret, header, request.body, now=stamp)
    assert not partners.verify_signature("whsec_other", header, request.body, now=stamp)
    assert not partners.verify_signature(endpoint.secret, header, request.body + b" ", now=stamp)
    assert not partners.verify_signature(endpoint.secret, header, request.body, now=stamp + 301)
    body = request.json
    assert body["type"] == "payment.succeeded" and body["id"].startswith("evt_")
    assert body["data"]["amount"] == 75_000 and body["data"]["currency"] == "XOF"
    assert request.headers["Hokwe-Event-Id"] == body["id"]


def test_only_subscribed_events_of_the_organization_are_delivered(
    owner, org, other_org, receiver, django_capture_on_commit_callbacks
):
    only_failures = services.endpoint_create(
        actor=owner, organization_id=org.pk, url=receiver.url, events=["payment.failed"]
    )
    emit(succeeded(org), django_capture_on_commit_callbacks)
    emit(succeeded(other_org), django_capture_on_commit_callbacks)
    assert not Delivery.objects.exists()
    emit(
        PaymentFailed(
            intent_id="i-1",
            attempt_id="a-1",
            organization_id=str(org.public_id),
            purpose_type="partner.Rent",
            purpose_id="x",
            provider="sandbox",
            reason="declined",
        ),
        django_capture_on_commit_callbacks,
    )
    assert list(Delivery.objects.values_list("endpoint", "event_type")) == [
        (only_failures.pk, "payment.failed")
    ]


def test_retries_follow_the_schedule_then_succeed(
    endpoint, org, receiver, django_capture_on_commit_callbacks
):
    receiver.fail_times = 3
    emit(succeeded(org), django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(endpoint=endpoint)
    first = delivery.next_attempt_at
    # not due yet: nothing is sent
    services.deliver_due(now=first - timedelta(seconds=1))
    assert receiver.received == []
    times = drive(delivery)
    assert delivery.status == "succeeded" and delivery.attempts == 4
    assert len(receiver.received) == 4
    gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]
    for gap, base in zip(gaps, RETRY_DELAYS, strict=False):
        assert base * 0.95 <= gap <= base * 1.05
    # a retry half-way through its wait is not sent early
    log = list(delivery.attempt_log.order_by("number"))
    assert [a.status_code for a in log] == [500, 500, 500, 200]
    assert log[0].response_excerpt.startswith("boom") and all(a.duration_ms >= 0 for a in log)
    ids = {r.json["id"] for r in receiver.received}
    assert len(ids) == 1  # the same event id on every retry
    for request in receiver.received:
        header = request.headers["Hokwe-Signature"]
        stamp = int(header.split(",")[0].removeprefix("t="))
        assert partners.verify_signature(endpoint.secret, header, request.body, now=stamp)


def test_the_schedule_spans_less_than_three_days():
    schedule = partners.retry_schedule()
    assert [n for n, _ in schedule] == list(range(1, 10))
    assert schedule[1][1] == 60 and schedule[-1][1] == 236_160  # 65.6 h
    assert schedule[-1][1] * 1.05 < 72 * 3600
    delays = [services.next_attempt_delay(i) for i in range(len(RETRY_DELAYS) + 1)]
    assert delays[-1] is None and all(d > 0 for d in delays[:-1])


def test_a_hanging_receiver_never_touches_the_payment_path(
    owner, org, receiver, settings, django_capture_on_commit_callbacks, client
):
    """A real payment (the sandbox pay link) while the partner's server hangs: the payment
    completes and only a pending delivery is left; the send, later, times out and is retried."""
    from tests.payments.conftest import make_intent

    settings.PAYMENT_PROVIDERS = ["sandbox"]
    settings.PAYMENT_ROUTES = ""
    settings.PARTNERS_WEBHOOK_TIMEOUT_SECONDS = 0.5
    receiver.hang_seconds = 5
    endpoint = services.endpoint_create(
        actor=owner, organization_id=org.pk, url=receiver.url, events=["payment.succeeded"]
    )
    intent = make_intent(org)
    start = client.post(f"/pay/{intent.pay_token}/start", {"method": "mobile_money"})
    reference = start["Location"].split("/pay/sandbox/")[1].split("?")[0]
    with django_capture_on_commit_callbacks(execute=True):
        paid = client.post(f"/pay/sandbox/{reference}", {"decision": "approve"})
    assert paid.status_code == 302
    intent.refresh_from_db()
    assert intent.status == "succeeded"
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.status == "pending" and delivery.attempts == 0
    assert receiver.received == []  # the payment path sent nothing
    (done,) = services.deliver_due(now=delivery.next_attempt_at)
    receiver.release.set()
    assert done.status == "pending" and done.attempt_log.get().error == "timeout"
    assert (done.next_attempt_at - delivery.next_attempt_at).total_seconds() == pytest.approx(60, rel=0.05)
    assert done.locked_until is None


def test_replay_sends_again_with_a_new_attempt(
    owner, endpoint, org, receiver, django_capture_on_commit_callbacks
):
    emit(succeeded(org), django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(endpoint=endpoint)
    drive(delivery)
    assert delivery.status == "succeeded"
    services.delivery_replay(actor=owner, delivery=delivery)
    services.deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and delivery.attempts == 2
    assert [a.number for a in delivery.attempt_log.order_by("number")] == [1, 2]
    assert len(receiver.received) == 2 and receiver.received[0].body == receiver.received[1].body


def test_an_endpoint_failing_for_three_days_is_disabled_with_an_email(
    owner, endpoint, org, receiver, settings, django_capture_on_commit_callbacks
):
    settings.PARTNERS_WEBHOOK_DISABLE_AFTER = 2
    receiver.fail_times = 10_000
    emit(succeeded(org, intent_id="i-1"), django_capture_on_commit_callbacks)
    emit(succeeded(org, intent_id="i-2"), django_capture_on_commit_callbacks)
    first, second = Delivery.objects.filter(endpoint=endpoint).order_by("id")
    with django_capture_on_commit_callbacks(execute=True):
        times = drive(first)
    assert first.status == "failed" and first.attempts == 1 + len(RETRY_DELAYS)
    assert (times[-1] - times[0]) < timedelta(hours=72)
    endpoint.refresh_from_db()
    assert endpoint.status == "active"  # one delivery failed, not the last two
    with django_capture_on_commit_callbacks(execute=True):
        drive(second)
    endpoint.refresh_from_db()
    assert endpoint.status == "disabled" and endpoint.disabled_reason == "failing"
    (message,) = [m for m in mail.outbox if owner.email in m.to]
    assert "Webhook désactivé" in message.subject and endpoint.url in message.body
    # a disabled endpoint gets nothing more
    emit(succeeded(org, intent_id="i-3"), django_capture_on_commit_callbacks)
    assert Delivery.objects.filter(endpoint=endpoint).count() == 2
    services.endpoint_update(actor=owner, endpoint=endpoint, enabled=True)
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).status == "active"


def test_a_claimed_delivery_is_not_sent_twice(endpoint, org, receiver, django_capture_on_commit_callbacks):
    from apps.partners.services.delivery import claim

    emit(succeeded(org), django_capture_on_commit_callbacks)
    now = timezone.now()
    claimed = claim(now=now)
    assert len(claimed) == 1
    assert claim(now=now) == []  # leased: another run does not take it
    assert len(claim(now=now + timedelta(minutes=5))) == 1  # the lease expired: taken again


def test_the_secret_rotation_signs_with_both_for_the_overlap(
    owner, endpoint, org, receiver, django_capture_on_commit_callbacks
):
    old = endpoint.secret
    rotated = services.endpoint_rotate_secret(actor=owner, endpoint=endpoint)
    assert rotated.secret != old and rotated.secret.startswith("whsec_")
    emit(succeeded(org), django_capture_on_commit_callbacks)
    services.deliver_due()
    (request,) = receiver.received
    header = request.headers["Hokwe-Signature"]
    assert header.count("v1=") == 2
    assert partners.verify_signature(old, header, request.body) and partners.verify_signature(
        rotated.secret, header, request.body
    )


def test_https_is_required_when_configured(owner, org, settings):
    from apps.partners.errors import InvalidEndpointUrl

    settings.PARTNERS_WEBHOOK_REQUIRE_HTTPS = True
    for url in (
        "http://erp.example.bj/hook",
        "https://127.0.0.1/hook",
        "ftp://x",
        "https://user:pw@erp.example.bj/",
    ):
        with pytest.raises(InvalidEndpointUrl):
            services.endpoint_create(
                actor=owner, organization_id=org.pk, url=url, events=["payment.succeeded"]
            )
    assert services.endpoint_create(
        actor=owner, organization_id=org.pk, url="https://erp.example.bj/hook", events=["due.paid"]
    ).url.startswith("https://")


def test_a_failed_refund_is_delivered_as_refund_failed(
    owner, org, receiver, django_capture_on_commit_callbacks
):
    from apps.payments.events import PaymentRefundFailed

    refunds = services.endpoint_create(
        actor=owner, organization_id=org.pk, url=receiver.url, events=["refund.failed"]
    )
    emit(
        PaymentRefundFailed(
            intent_id="i-9",
            refund_id="r-9",
            organization_id=str(org.public_id),
            amount=3_000,
            currency="XOF",
            via="payout",
            reason="The payout to the payer failed.",
            purpose_type="partner.Rent",
            purpose_id="x",
        ),
        django_capture_on_commit_callbacks,
    )
    delivery = Delivery.objects.get(endpoint=refunds)
    assert delivery.event_type == "refund.failed"
    services.deliver_due(now=delivery.next_attempt_at)
    (request,) = receiver.received
    assert request.json["type"] == "refund.failed"
    assert request.json["data"]["refund_id"] == "r-9" and request.json["data"]["via"] == "payout"
