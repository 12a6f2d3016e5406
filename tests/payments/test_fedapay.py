"""FedaPay against the local FedaPay: signatures (t=…,s=HMAC-SHA256("t.body")), checkout,
push, verification, listing and payouts."""

import json
import time
from datetime import UTC

import pytest
from rest_framework.test import APIClient

from apps.payments import services
from apps.payments.models import WebhookEvent
from apps.payments.providers.base import Credentials, PayoutDestination, TxStatus, WebhookRejected
from apps.payments.providers.fedapay import FedapayProvider, signature_header

from .conftest import balance, make_intent, on_commit
from .fakes import fedapay as fake

pytestmark = pytest.mark.django_db
URL = "/api/v1/payments/webhooks/fedapay"


def provider():
    return FedapayProvider(Credentials(secret_key=fake.SECRET, webhook_secret=fake.WEBHOOK_SECRET))


def event(transaction_id, name="transaction.approved", event_id=None):
    return json.dumps(
        {
            "id": event_id or f"evt_{transaction_id}_{name}",
            "name": name,
            "object": "transaction",
            "entity": {"id": transaction_id},
        }
    ).encode()


def test_signature_rules(fedapay):
    body = event(1)
    provider().verify_webhook(
        headers={"X-FEDAPAY-SIGNATURE": signature_header(body, fake.WEBHOOK_SECRET)}, body=body
    )
    stale = signature_header(body, fake.WEBHOOK_SECRET, timestamp=int(time.time()) - 301)
    bad = [
        {},
        {"X-FEDAPAY-SIGNATURE": "garbage"},
        {"X-FEDAPAY-SIGNATURE": signature_header(body, "wrong-secret")},
        {"X-FEDAPAY-SIGNATURE": signature_header(body + b" ", fake.WEBHOOK_SECRET)},
        {"X-FEDAPAY-SIGNATURE": stale},
    ]
    for headers in bad:
        with pytest.raises(WebhookRejected):
            provider().verify_webhook(headers=headers, body=body)


def test_checkout_then_signed_webhook_settles(org, fedapay):
    intent = make_intent(org, amount=30_000)
    attempt, checkout = services.attempt_start(
        intent=intent, method="mobile_money", return_url="https://x/cb"
    )
    assert checkout.kind == "redirect" and checkout.url.startswith("https://process.fedapay.com/")
    assert attempt.provider == "fedapay" and attempt.provider_reference
    transaction_id = int(attempt.provider_reference)
    assert fedapay.transactions[transaction_id]["custom_metadata"] == {"attempt": attempt.token}
    body = event(transaction_id)
    forged = APIClient().generic(
        "POST",
        URL,
        body,
        content_type="application/json",
        HTTP_X_FEDAPAY_SIGNATURE=signature_header(body, "nope"),
    )
    assert forged.status_code == 401 and WebhookEvent.objects.count() == 0
    # signed, but FedaPay still says pending: nothing moves
    with on_commit():
        APIClient().generic(
            "POST",
            URL,
            body,
            content_type="application/json",
            HTTP_X_FEDAPAY_SIGNATURE=signature_header(body, fake.WEBHOOK_SECRET),
        )
    intent.refresh_from_db()
    assert intent.status == "pending"
    fedapay.transactions[transaction_id]["status"] = "approved"
    body = event(transaction_id, event_id="evt-2")
    with on_commit():
        APIClient().generic(
            "POST",
            URL,
            body,
            content_type="application/json",
            HTTP_X_FEDAPAY_SIGNATURE=signature_header(body, fake.WEBHOOK_SECRET),
        )
    intent.refresh_from_db()
    assert intent.status == "succeeded" and balance(intent.credit_account) == 30_000


def test_push_and_list(org, fedapay):
    intent = make_intent(org, amount=5_000)
    attempt, checkout = services.attempt_push(intent=intent, phone="+2290161000001", operator="mtn_open")
    assert checkout.kind == "push" and fedapay.pushed[0][0] == "mtn_open"
    from datetime import datetime, timedelta

    start = datetime(2026, 11, 24, tzinfo=UTC)
    listed = list(provider().list_transactions(start=start, end=start + timedelta(days=1)))
    assert [i.partner_reference for i in listed] == [attempt.token]
    assert provider().verify("999999").status == TxStatus.NOT_FOUND


def test_payout_sent_and_failed(fedapay):
    destination = PayoutDestination(
        kind="mobile_money", phone="+2290196000001", operator="mtn_open", holder_name="Famille Adjovi"
    )
    result = provider().payout(reference="p1", amount=10_000, currency="XOF", destination=destination)
    assert result.status == "processing" and fedapay.payouts[int(result.reference)]["status"] == "started"
    fedapay.payouts[int(result.reference)]["status"] = "sent"
    assert provider().payout_status(result.reference).status == "paid"
    fedapay.payouts[int(result.reference)]["status"] = "failed"
    assert provider().payout_status(result.reference).status == "failed"
