"""Delivery receipts: verified as each provider documents; forged ones change nothing."""

from urllib.parse import urlencode

import pytest

from apps.notifications import api, services
from apps.notifications.models import DeliveryReceipt, Message
from apps.notifications.providers import twilio

from .conftest import RECEIPT, receipt_context

pytestmark = pytest.mark.django_db

TWILIO_URL = "/api/v1/notifications/callbacks/twilio"


@pytest.fixture
def sent(db):
    """A receipt SMS handed to a provider (as after a real send)."""

    def make(provider: str, provider_id: str) -> Message:
        api.send("+2290197112233", RECEIPT, receipt_context(), channels=["sms"])
        message = Message.objects.get()
        Message.objects.filter(pk=message.pk).update(
            status="sent", provider=provider, provider_message_id=provider_id
        )
        return message

    return make


FORM = "application/x-www-form-urlencoded"  # how the providers post their reports


def _twilio_post(client, params, signature):
    return client.post(
        TWILIO_URL, data=urlencode(params), content_type=FORM, HTTP_X_TWILIO_SIGNATURE=signature
    )


def test_signed_twilio_callback_marks_delivered_once(settings, client, sent):
    settings.TWILIO_AUTH_TOKEN = "tw-token"
    message = sent("twilio", "SM42")
    params = {
        "MessageSid": "SM42",
        "MessageStatus": "delivered",
        "AccountSid": "AC123",
        "To": "+2290197112233",
    }
    signature = twilio.signature(f"http://testserver{TWILIO_URL}", params, "tw-token")
    assert _twilio_post(client, params, signature).status_code == 204
    assert _twilio_post(client, params, signature).status_code == 204  # retried by Twilio: recorded once
    message.refresh_from_db()
    assert message.status == "delivered" and message.delivered_at is not None
    assert DeliveryReceipt.objects.filter(provider_message_id="SM42").count() == 1


def test_twilio_signature_uses_the_public_url_behind_the_gateway(settings, client, sent):
    settings.TWILIO_AUTH_TOKEN = "tw-token"
    settings.NOTIFICATIONS_PUBLIC_BASE_URL = "https://api.hokwe.com"
    message = sent("twilio", "SM43")
    params = {"MessageSid": "SM43", "MessageStatus": "undelivered", "ErrorCode": "30003"}
    signature = twilio.signature(f"https://api.hokwe.com{TWILIO_URL}", params, "tw-token")
    assert _twilio_post(client, params, signature).status_code == 204
    message.refresh_from_db()
    assert message.status == "failed" and message.failure_reason == "Twilio error 30003"


@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl", None])
def test_forged_twilio_callback_is_rejected(settings, client, sent, signature):
    settings.TWILIO_AUTH_TOKEN = "tw-token"
    message = sent("twilio", "SM44")
    params = {"MessageSid": "SM44", "MessageStatus": "delivered"}
    if signature is None:  # signed with the wrong key
        signature = twilio.signature(f"http://testserver{TWILIO_URL}", params, "attacker-token")
    response = _twilio_post(client, params, signature)
    assert response.status_code == 403
    assert response.json()["code"] == "callback_signature_invalid"
    message.refresh_from_db()
    assert message.status == "sent" and not DeliveryReceipt.objects.exists()


def test_tampered_twilio_parameters_are_rejected(settings, client, sent):
    settings.TWILIO_AUTH_TOKEN = "tw-token"
    sent("twilio", "SM45")
    params = {"MessageSid": "SM45", "MessageStatus": "failed"}
    signature = twilio.signature(f"http://testserver{TWILIO_URL}", params, "tw-token")
    response = _twilio_post(client, {**params, "MessageStatus": "delivered"}, signature)
    assert response.status_code == 403


def test_africastalking_report_with_the_secret_url(settings, client, sent):
    settings.AFRICASTALKING_CALLBACK_TOKEN = "s3cret-at"
    message = sent("africastalking", "ATXid_1")
    form = {
        "id": "ATXid_1",
        "status": "Failed",
        "phoneNumber": "+2290197112233",
        "networkCode": "61601",
        "failureReason": "AbsentSubscriber",
        "retryCount": "0",
    }
    assert (
        client.post(
            "/api/v1/notifications/callbacks/africastalking/wrong", data=urlencode(form), content_type=FORM
        ).status_code
        == 403
    )
    message.refresh_from_db()
    assert message.status == "sent"
    assert (
        client.post(
            "/api/v1/notifications/callbacks/africastalking/s3cret-at",
            data=urlencode(form),
            content_type=FORM,
        ).status_code
        == 204
    )
    message.refresh_from_db()
    assert message.status == "failed" and message.failure_reason == "AbsentSubscriber"


def test_no_token_configured_means_every_callback_is_refused(settings, client, sent):
    settings.AFRICASTALKING_CALLBACK_TOKEN = ""
    sent("africastalking", "ATXid_2")
    response = client.post(
        "/api/v1/notifications/callbacks/africastalking/x",
        data="id=ATXid_2&status=Success",
        content_type=FORM,
    )
    assert response.status_code == 403


def test_orange_delivery_receipt(settings, client, sent):
    settings.ORANGE_SMS_CALLBACK_TOKEN = "s3cret-or"
    message = sent("orange", "or-42")
    payload = {
        "deliveryInfoNotification": {
            "callbackData": "or-42",
            "deliveryInfo": {"address": "tel:+2290197112233", "deliveryStatus": "DeliveredToTerminal"},
        }
    }
    url = "/api/v1/notifications/callbacks/orange/"
    assert client.post(url + "nope", data=payload, content_type="application/json").status_code == 403
    assert client.post(url + "s3cret-or", data={"x": 1}, content_type="application/json").status_code == 400
    assert client.post(url + "s3cret-or", data=payload, content_type="application/json").status_code == 204
    message.refresh_from_db()
    assert message.status == "delivered"


def test_a_late_sent_report_never_moves_a_delivered_message_back(settings, sent):
    message = sent("twilio", "SM50")
    services.receipt_record(
        provider="twilio",
        report=twilio.parse_report({"MessageSid": "SM50", "MessageStatus": "delivered"}),
        payload={},
    )
    services.receipt_record(
        provider="twilio",
        report=twilio.parse_report({"MessageSid": "SM50", "MessageStatus": "sent"}),
        payload={},
    )
    message.refresh_from_db()
    assert message.status == "delivered"
