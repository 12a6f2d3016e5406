"""Kkiapay end to end against the local Kkiapay: checkout, webhooks (forged, replayed,
out of order, before the browser), verification, outages, mismatches, late money."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from celery.exceptions import Retry
from django.db import connection
from rest_framework.test import APIClient

from apps.payments import services
from apps.payments.contracts import IntentStatus
from apps.payments.models import PaymentAttempt, PaymentIntent, ReconciliationItem, WebhookEvent
from apps.payments.providers.base import Credentials, ProviderUnavailable, TxStatus, WebhookRejected
from apps.payments.providers.kkiapay import KkiapayProvider
from apps.payments.services import ledgering
from apps.payments.tasks import process_webhook

from .conftest import balance, make_intent, on_commit
from .fakes import kkiapay as fake

URL = "/api/v1/payments/webhooks/kkiapay"


def post_webhook(body: bytes, secret: str = fake.WEBHOOK_SECRET, client=None):
    client = client or APIClient()
    with on_commit():
        return client.generic(
            "POST", URL, body, content_type="application/json", HTTP_X_KKIAPAY_SECRET=secret
        )


def started(intent):
    attempt, checkout = services.attempt_start(intent=intent, method="mobile_money")
    assert checkout.kind == "widget"
    assert checkout.widget["partnerId"] == attempt.token
    assert checkout.widget["key"] == fake.PUBLIC and checkout.widget["sandbox"] is True
    return attempt


def paid_at_kkiapay(kkiapay, intent, attempt, amount=None, status="SUCCESS"):
    return kkiapay.add(
        amount=intent.amount if amount is None else amount, status=status, partner=attempt.token
    )


@pytest.mark.django_db
class TestAdapter:
    def provider(self, kkiapay, **changes):
        creds = dict(
            public_key=fake.PUBLIC,
            private_key=fake.PRIVATE,
            secret_key=fake.SECRET,
            webhook_secret=fake.WEBHOOK_SECRET,
        )
        creds.update(changes)
        return KkiapayProvider(Credentials(**creds))

    def test_verify_maps_the_documented_fields(self, kkiapay):
        reference = kkiapay.add(amount=75_000, fees=1_425, partner="att-1")
        info = self.provider(kkiapay).verify(reference)
        assert info.status == TxStatus.SUCCEEDED
        assert (info.amount, info.fees, info.source, info.source_name) == (
            75_000,
            1_425,
            "MOBILE_MONEY",
            "mtn-benin",
        )
        assert info.partner_reference == "att-1"
        for status, expected in [
            ("PENDING", TxStatus.PENDING),
            ("FAILED", TxStatus.FAILED),
            ("REVERTED", TxStatus.REVERTED),
            ("INSUFFICIENT_FUND", TxStatus.FAILED),
        ]:
            kkiapay.set_status(reference, status)
            assert self.provider(kkiapay).verify(reference).status == expected

    def test_unknown_transaction_is_not_found(self, kkiapay):
        assert self.provider(kkiapay).verify("nope").status == TxStatus.NOT_FOUND

    def test_wrong_keys_are_refused(self, kkiapay):
        from apps.payments.providers.base import ProviderRejected

        with pytest.raises(ProviderRejected) as caught:
            self.provider(kkiapay, private_key="wrong").verify("x")
        assert caught.value.status == 401

    @pytest.mark.parametrize("mode", ["500", "timeout"])
    def test_outage_is_provider_unavailable(self, kkiapay, mode):
        kkiapay.down = mode
        with pytest.raises(ProviderUnavailable):
            self.provider(kkiapay).verify("x")

    def test_webhook_secret_is_compared_exactly(self, kkiapay):
        provider = self.provider(kkiapay)
        provider.verify_webhook(headers={"X-Kkiapay-Secret": fake.WEBHOOK_SECRET}, body=b"{}")
        for bad in ({}, {"x-kkiapay-secret": ""}, {"x-kkiapay-secret": fake.WEBHOOK_SECRET + "x"}):
            with pytest.raises(WebhookRejected):
                provider.verify_webhook(headers=bad, body=b"{}")
        with pytest.raises(WebhookRejected):
            self.provider(kkiapay, webhook_secret="").verify_webhook(
                headers={"x-kkiapay-secret": ""}, body=b"{}"
            )

    def test_refund_reverts_whole_transactions_only(self, kkiapay):
        from apps.payments.providers.base import NotSupported

        reference = kkiapay.add(amount=1000)
        with pytest.raises(NotSupported):
            self.provider(kkiapay).refund(reference, amount=500, full=False)
        assert self.provider(kkiapay).refund(reference, amount=1000, full=True).status == TxStatus.REVERTED
        assert kkiapay.transactions[reference]["status"] == "REVERTED"


@pytest.mark.django_db
def test_webhook_confirmed_with_the_status_api_moves_money(org, kkiapay):
    intent = make_intent(org, fee_bp=100)
    attempt = started(intent)
    reference = paid_at_kkiapay(kkiapay, intent, attempt)
    response = post_webhook(fake.webhook_body(reference, amount=intent.amount, partner=attempt.token))
    assert response.status_code == 200 and response.json() == {"received": True, "duplicate": False}
    intent.refresh_from_db()
    attempt.refresh_from_db()
    assert intent.status == IntentStatus.SUCCEEDED and intent.provider == "kkiapay"
    assert (
        attempt.provider_reference == reference
        and attempt.provider_fees == kkiapay.transactions[reference]["fees"]
    )
    assert balance(intent.credit_account) == 74_250
    assert WebhookEvent.objects.get().status == "processed"


@pytest.mark.django_db
def test_forged_webhooks_get_401_and_change_nothing(org, kkiapay):
    intent = make_intent(org)
    attempt = started(intent)
    reference = paid_at_kkiapay(kkiapay, intent, attempt)
    body = fake.webhook_body(reference, amount=intent.amount, partner=attempt.token)
    for secret in ("", "wrong", fake.WEBHOOK_SECRET.upper()):
        response = post_webhook(body, secret=secret)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
    response = APIClient().generic("POST", URL, body, content_type="application/json")
    assert response.status_code == 401
    assert WebhookEvent.objects.count() == 0
    assert kkiapay.calls == []
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PENDING


@pytest.mark.django_db
def test_a_payload_lie_is_not_believed(org, kkiapay):
    """The webhook says success; the status API says FAILED: the API wins."""
    intent = make_intent(org)
    attempt = started(intent)
    reference = paid_at_kkiapay(kkiapay, intent, attempt, status="FAILED")
    post_webhook(fake.webhook_body(reference, success=True, amount=intent.amount, partner=attempt.token))
    intent.refresh_from_db()
    assert intent.status == IntentStatus.FAILED
    assert balance(intent.credit_account) == 0


@pytest.mark.django_db
def test_out_of_order_events_settle_on_the_providers_truth(org, kkiapay):
    intent = make_intent(org)
    attempt = started(intent)
    reference = paid_at_kkiapay(kkiapay, intent, attempt, status="SUCCESS")
    # the failure notice of an earlier try arrives after the success
    post_webhook(fake.webhook_body(reference, success=True, amount=intent.amount, partner=attempt.token))
    post_webhook(fake.webhook_body(reference, success=False, partner=attempt.token))
    intent.refresh_from_db()
    assert intent.status == IntentStatus.SUCCEEDED
    assert balance(intent.credit_account) == intent.amount
    # a failure first, then the success (the provider retried the debit)
    other = make_intent(org, purpose_id="2")
    attempt2 = started(other)
    ref2 = paid_at_kkiapay(kkiapay, other, attempt2, status="FAILED")
    post_webhook(fake.webhook_body(ref2, success=False, partner=attempt2.token))
    other.refresh_from_db()
    assert other.status == IntentStatus.FAILED
    kkiapay.set_status(ref2, "SUCCESS")
    post_webhook(fake.webhook_body(ref2, success=True, partner=attempt2.token))
    other.refresh_from_db()
    assert other.status == IntentStatus.SUCCEEDED


@pytest.mark.django_db
def test_webhook_before_the_browser_callback(org, kkiapay, client):
    intent = make_intent(org)
    attempt = started(intent)
    reference = paid_at_kkiapay(kkiapay, intent, attempt)
    post_webhook(fake.webhook_body(reference, partner=attempt.token))
    response = client.post(f"/pay/{intent.pay_token}/callback", {"transaction_id": reference})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert b'data-testid="status-paid"' in page.content
    intent.refresh_from_db()
    assert intent.status == IntentStatus.SUCCEEDED
    assert balance(intent.credit_account) == intent.amount  # once


@pytest.mark.django_db
def test_browser_callback_alone_is_verified_with_kkiapay(org, kkiapay, client):
    intent = make_intent(org)
    attempt = started(intent)
    # a made-up transaction id: Kkiapay does not know it, nothing happens
    with on_commit():
        client.post(f"/pay/{intent.pay_token}/callback", {"transaction_id": "forged-id"})
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PENDING
    # someone else's successful transaction (other partner id) cannot pay this intent
    foreign = kkiapay.add(amount=intent.amount, partner="someone-else")
    client.post(f"/pay/{intent.pay_token}/callback", {"transaction_id": foreign})
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PENDING
    reference = paid_at_kkiapay(kkiapay, intent, attempt)
    client.post(f"/pay/{intent.pay_token}/callback", {"transaction_id": reference})
    intent.refresh_from_db()
    assert intent.status == IntentStatus.SUCCEEDED


@pytest.mark.django_db
def test_amount_mismatch_is_flagged_not_credited(org, kkiapay):
    intent = make_intent(org, amount=75_000)
    attempt = started(intent)
    suspense_before = balance(ledgering.suspense("XOF"))
    reference = paid_at_kkiapay(kkiapay, intent, attempt, amount=7_500)
    post_webhook(fake.webhook_body(reference, partner=attempt.token))
    intent.refresh_from_db()
    attempt.refresh_from_db()
    assert attempt.status == "mismatch"
    assert intent.status == IntentStatus.FAILED
    assert balance(intent.credit_account) == 0
    assert balance(ledgering.suspense("XOF")) - suspense_before == 7_500
    item = ReconciliationItem.objects.get(kind="amount_mismatch")
    assert (item.amount_provider, item.amount_expected, item.refund_due) == (7_500, 75_000, True)


@pytest.mark.django_db
def test_currency_mismatch_is_flagged_not_credited(org, kkiapay):
    intent = make_intent(org, amount=1_000)
    attempt = started(intent)
    reference = paid_at_kkiapay(kkiapay, intent, attempt)
    kkiapay.transactions[reference]["currency"] = "XAF"
    post_webhook(fake.webhook_body(reference, partner=attempt.token))
    intent.refresh_from_db()
    assert intent.status == IntentStatus.FAILED and balance(intent.credit_account) == 0
    assert ReconciliationItem.objects.filter(kind="amount_mismatch", currency="XAF").exists()


@pytest.mark.django_db
def test_money_for_an_expired_intent_goes_to_suspense_flagged_for_refund(org, kkiapay, time_machine):
    intent = make_intent(org)
    attempt = started(intent)
    reference = paid_at_kkiapay(kkiapay, intent, attempt)
    time_machine.move_to(intent.expires_at, tick=False)
    services.intents_expire()
    suspense_before = balance(ledgering.suspense("XOF"))
    post_webhook(fake.webhook_body(reference, partner=attempt.token))
    intent.refresh_from_db()
    assert intent.status == IntentStatus.EXPIRED
    assert balance(intent.credit_account) == 0
    assert balance(ledgering.suspense("XOF")) - suspense_before == intent.amount
    item = ReconciliationItem.objects.get(kind="late_payment")
    assert item.refund_due and item.intent_id == intent.pk


@pytest.mark.django_db
def test_unknown_transaction_money_goes_to_suspense(org, kkiapay):
    reference = kkiapay.add(amount=12_000, partner="")
    post_webhook(fake.webhook_body(reference))
    assert balance(ledgering.suspense("XOF")) >= 12_000
    assert ReconciliationItem.objects.filter(
        kind="unknown_transaction", provider_reference=reference
    ).exists()


@pytest.mark.django_db
def test_provider_outage_leaves_the_intent_pending_and_is_retried(org, kkiapay):
    intent = make_intent(org)
    attempt = started(intent)
    reference = paid_at_kkiapay(kkiapay, intent, attempt)
    kkiapay.down = "500"
    response = post_webhook(fake.webhook_body(reference, partner=attempt.token))
    assert response.status_code == 200  # acked: we have it, the task retries
    event = WebhookEvent.objects.get()
    assert event.status == "received" and "ProviderUnavailable" in event.last_error
    assert process_webhook.retry_backoff and ProviderUnavailable in process_webhook.autoretry_for
    with pytest.raises(Retry):  # scheduled again, with backoff (eager mode raises it)
        process_webhook.apply(args=[event.pk])
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PENDING and balance(intent.credit_account) == 0
    kkiapay.down = ""
    process_webhook.apply(args=[event.pk])
    intent.refresh_from_db()
    assert intent.status == IntentStatus.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_a_webhook_replayed_100_times_concurrently_moves_money_once(org, kkiapay):
    intent = make_intent(org, amount=50_000)
    attempt = started(intent)
    reference = paid_at_kkiapay(kkiapay, intent, attempt)
    body = fake.webhook_body(reference, partner=attempt.token)
    barrier = threading.Barrier(100)

    def send(_index):
        try:
            barrier.wait()
            return post_webhook(body).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=100) as pool:
        codes = list(pool.map(send, range(100)))
    assert codes == [200] * 100
    assert WebhookEvent.objects.count() == 1
    intent.refresh_from_db()
    assert intent.status == IntentStatus.SUCCEEDED
    assert balance(intent.credit_account) == 50_000
    assert PaymentAttempt.objects.filter(intent=intent, status="succeeded").count() == 1
    # and the browser, the reconciliation and a second delivery change nothing more
    services.callback_confirm(
        intent=PaymentIntent.objects.get(pk=intent.pk), provider="kkiapay", reference=reference
    )
    assert balance(intent.credit_account) == 50_000


@pytest.mark.django_db(transaction=True)
def test_an_app_double_tapping_confirm_ten_times_gets_ten_answers_and_one_movement(org, kkiapay):
    """« J'ai payé » tapped ten times at once (issue 17): every call answers 200 with the
    intent, never a 5xx, and the money moves once."""
    from tests.helpers import bearer_client

    from .conftest import member

    payer = member(org)
    intent = make_intent(org, amount=40_000, payer=payer)
    attempt = started(intent)
    reference = paid_at_kkiapay(kkiapay, intent, attempt)
    url = f"/api/v1/payments/intents/{intent.public_id}/confirm"
    barrier = threading.Barrier(10)

    def tap(_index):
        client = bearer_client(payer)
        try:
            barrier.wait()
            response = client.post(url, {"transaction_id": reference}, format="json")
            return response.status_code, response.json()["status"]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(tap, range(10)))
    assert [code for code, _status in answers] == [200] * 10
    assert {status for _code, status in answers} <= {"pending", "succeeded"}
    intent.refresh_from_db()
    assert intent.status == IntentStatus.SUCCEEDED
    assert balance(intent.credit_account) == 40_000
    assert PaymentAttempt.objects.filter(intent=intent, status="succeeded").count() == 1


@pytest.mark.django_db
def test_an_organizations_own_kkiapay_account_and_its_webhook_url(org, kkiapay):
    from apps.payments import config
    from apps.payments.models import ProviderConfig

    own = ProviderConfig(organization=org, provider="kkiapay", public_key=fake.PUBLIC)
    config.set_config_secrets(
        own, private_key=fake.PRIVATE, secret_key=fake.SECRET, webhook_secret="org-secret"
    )
    own.save()
    assert "org-secret" not in own.secrets_encrypted  # encrypted at rest
    config.clear_cache()
    provider = config.provider_for("kkiapay", organization_id=org.pk)
    assert provider.credentials.webhook_secret == "org-secret" and provider.credentials.config_id == str(
        own.public_id
    )
    intent = make_intent(org)
    attempt = started(intent)
    reference = paid_at_kkiapay(kkiapay, intent, attempt)
    body = fake.webhook_body(reference, partner=attempt.token)
    url = f"{URL}/{own.public_id}"
    assert (
        APIClient()
        .generic(
            "POST", url, body, content_type="application/json", HTTP_X_KKIAPAY_SECRET=fake.WEBHOOK_SECRET
        )
        .status_code
        == 401
    )
    with on_commit():
        ok = APIClient().generic(
            "POST", url, body, content_type="application/json", HTTP_X_KKIAPAY_SECRET="org-secret"
        )
    assert ok.status_code == 200
    intent.refresh_from_db()
    assert intent.status == IntentStatus.SUCCEEDED


@pytest.mark.django_db
def test_pay_link_opens_the_kkiapay_widget(org, kkiapay, client):
    intent = make_intent(org, amount=75_000)
    page = client.post(f"/pay/{intent.pay_token}/start", {"method": "mobile_money"})
    assert page.status_code == 200
    html = page.content.decode()
    assert '<script src="https://cdn.kkiapay.me/k.js"></script>' in html
    assert "openKkiapayWidget" in html and "addSuccessListener" in html
    attempt = PaymentAttempt.objects.get(intent=intent)
    assert (
        f'"partnerId": "{attempt.token}"' in html
        and '"amount": 75000' in html
        and f'"key": "{fake.PUBLIC}"' in html
    )
    assert f'nonce="{page.wsgi_request.csp_nonce}"' in html  # our inline script runs under the page's CSP


@pytest.mark.django_db
def test_paying_twice_through_the_same_widget_is_held_for_refund(org, kkiapay):
    intent = make_intent(org, amount=20_000)
    attempt = started(intent)
    first = paid_at_kkiapay(kkiapay, intent, attempt)
    second = paid_at_kkiapay(kkiapay, intent, attempt)
    post_webhook(fake.webhook_body(first, partner=attempt.token))
    post_webhook(fake.webhook_body(second, partner=attempt.token))
    intent.refresh_from_db()
    assert intent.status == IntentStatus.SUCCEEDED and balance(intent.credit_account) == 20_000
    item = ReconciliationItem.objects.get(provider_reference=second)
    assert item.kind == "late_payment" and item.refund_due and item.intent_id == intent.pk
