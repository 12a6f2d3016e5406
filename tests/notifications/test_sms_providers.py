"""SMS providers against local HTTP servers that speak their documented APIs: success,
error shapes, retry then failover, routing by prefix, and both providers down."""

import base64
import json
import threading
from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from apps.notifications import api, metrics, services
from apps.notifications.contracts import TemplateKey
from apps.notifications.models import Message

from .conftest import RECEIPT, receipt_context

pytestmark = pytest.mark.django_db

PHONE = "+2290197112233"
AT_OK = {
    "SMSMessageData": {
        "Message": "Sent to 1/1 Total Cost: XOF 20",
        "Recipients": [
            {
                "statusCode": 101,
                "number": PHONE,
                "status": "Success",
                "cost": "XOF 20",
                "messageId": "ATXid_abc123",
            }
        ],
    }
}
TWILIO_PATH = "/2010-04-01/Accounts/AC123/Messages.json"


@pytest.fixture
def providers(settings, httpserver):
    base = httpserver.url_for("").rstrip("/")
    settings.AFRICASTALKING_BASE_URL = base
    settings.AFRICASTALKING_USERNAME = "hokwe"
    settings.AFRICASTALKING_API_KEY = "at-key"
    settings.AFRICASTALKING_SENDER_ID = "HOKWE"
    settings.TWILIO_BASE_URL = base
    settings.TWILIO_ACCOUNT_SID = "AC123"
    settings.TWILIO_AUTH_TOKEN = "tw-token"
    settings.TWILIO_FROM = "+15005550006"
    settings.ORANGE_SMS_BASE_URL = base
    settings.ORANGE_SMS_CLIENT_ID = "orange-id"
    settings.ORANGE_SMS_CLIENT_SECRET = "orange-secret"
    settings.ORANGE_SMS_SENDER = "+2250700000000"
    settings.ORANGE_SMS_SENDER_NAME = "Hokwe"
    settings.SMS_BACKEND = "africastalking,twilio"
    return httpserver


def twilio_ok(sid="SM0123456789abcdef"):
    return {"sid": sid, "status": "queued", "to": PHONE, "from": "+15005550006"}


def send_receipt(send_now, phone=PHONE):
    send_now(api.send, phone, RECEIPT, receipt_context(), channels=["sms"])
    return Message.objects.get(address=phone)


def test_africastalking_request_and_answer_as_documented(providers, send_now):
    providers.expect_oneshot_request(
        "/version1/messaging", method="POST", headers={"apiKey": "at-key", "Accept": "application/json"}
    ).respond_with_json(AT_OK, status=201)
    message = send_receipt(send_now)
    assert (message.status, message.provider, message.provider_message_id) == (
        "sent",
        "africastalking",
        "ATXid_abc123",
    )
    request, _response = providers.log[0]
    assert (
        request.form["username"] == "hokwe"
        and request.form["to"] == PHONE
        and request.form["from"] == "HOKWE"
    )
    assert request.form["message"].startswith("Hokwe: paiement de 75 000 FCFA")


def test_an_invalid_number_for_the_provider_fails_without_failover(providers, send_now):
    rejected = {
        "SMSMessageData": {
            "Message": "Sent to 0/1",
            "Recipients": [
                {
                    "statusCode": 403,
                    "number": PHONE,
                    "status": "InvalidPhoneNumber",
                    "cost": "0",
                    "messageId": "None",
                }
            ],
        }
    }
    providers.expect_oneshot_request("/version1/messaging").respond_with_json(rejected, status=201)
    message = send_receipt(send_now)
    assert message.status == "failed" and message.failure_reason == "403 InvalidPhoneNumber"
    assert len(providers.log) == 1  # Twilio was not bothered


def test_provider_500_is_retried_then_fails_over_to_the_next(providers, send_now):
    providers.expect_request("/version1/messaging").respond_with_data("Internal Server Error", status=500)
    providers.expect_oneshot_request(TWILIO_PATH, method="POST").respond_with_json(twilio_ok(), status=201)
    message = send_receipt(send_now)
    assert (message.status, message.provider, message.provider_message_id) == (
        "sent",
        "twilio",
        "SM0123456789abcdef",
    )
    paths = [r.path for r, _ in providers.log]
    assert paths == ["/version1/messaging", "/version1/messaging", TWILIO_PATH]  # 2 tries on A, then B
    twilio_request = providers.log[-1][0]
    assert (
        twilio_request.authorization.username == "AC123"
        and twilio_request.authorization.password == "tw-token"
    )
    assert twilio_request.form["To"] == PHONE and twilio_request.form["From"] == "+15005550006"


def test_provider_timeout_fails_over(settings, providers, send_now):
    release = threading.Event()
    slow = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    slow.start()
    try:

        def hang(request: Request) -> Response:
            release.wait(5)
            return Response(json.dumps(AT_OK), status=201, content_type="application/json")

        slow.expect_request("/version1/messaging").respond_with_handler(hang)
        settings.AFRICASTALKING_BASE_URL = slow.url_for("").rstrip("/")
        settings.SMS_TIMEOUT_SECONDS = 0.2
        settings.SMS_PROVIDER_TRIES = 1
        providers.expect_oneshot_request(TWILIO_PATH).respond_with_json(twilio_ok(), status=201)
        message = send_receipt(send_now)
    finally:
        release.set()
        slow.clear()
        slow.stop()
    assert (message.status, message.provider) == ("sent", "twilio")


def test_twilio_error_shape_for_an_invalid_number(settings, providers, send_now):
    settings.SMS_BACKEND = "twilio,africastalking"
    providers.expect_oneshot_request(TWILIO_PATH).respond_with_json(
        {
            "code": 21211,
            "message": "The 'To' number +2290197112233 is not a valid phone number.",
            "more_info": "https://www.twilio.com/docs/errors/21211",
            "status": 400,
        },
        status=400,
    )
    message = send_receipt(send_now)
    assert message.status == "failed" and "21211" in message.failure_reason
    assert len(providers.log) == 1


def test_orange_token_then_send_with_the_documented_body(settings, providers, send_now):
    settings.SMS_BACKEND = "orange"
    providers.expect_oneshot_request("/oauth/v3/token", method="POST").respond_with_json(
        {"token_type": "Bearer", "access_token": "orange-token-1", "expires_in": "3600"}
    )
    path = "/smsmessaging/v1/outbound/tel%3A%2B2250700000000/requests"
    created = {
        "outboundSMSMessageRequest": {
            "address": [f"tel:{PHONE}"],
            "senderAddress": "tel:+2250700000000",
            "outboundSMSTextMessage": {"message": "…"},
            "resourceURL": "https://api.orange.com/smsmessaging/v1/outbound/tel:+2250700000000/requests/or-42",
        }
    }
    providers.expect_request(
        "/smsmessaging/v1/outbound/tel:+2250700000000/requests", method="POST"
    ).respond_with_json(created, status=201)
    first = send_receipt(send_now)
    second = send_receipt(send_now, phone="+2290197112234")
    assert (first.status, first.provider, first.provider_message_id) == ("sent", "orange", "or-42")
    assert second.status == "sent"
    token_request = providers.log[0][0]
    assert base64.b64decode(token_request.headers["Authorization"].split()[1]) == b"orange-id:orange-secret"
    assert token_request.form["grant_type"] == "client_credentials"
    sends = [r for r, _ in providers.log if "smsmessaging" in r.path]
    assert len(sends) == 2 and len(providers.log) == 3  # the token was fetched once, then cached
    assert sends[0].headers["Authorization"] == "Bearer orange-token-1"
    assert path.replace("%3A", ":").replace("%2B", "+") == sends[0].path
    body = sends[0].get_json()["outboundSMSMessageRequest"]
    assert body["address"] == f"tel:{PHONE}" and body["senderAddress"] == "tel:+2250700000000"
    assert body["senderName"] == "Hokwe" and body["outboundSMSTextMessage"]["message"].startswith(
        "Hokwe: paiement"
    )


def test_orange_invalid_address_error_shape(settings, providers, send_now):
    settings.SMS_BACKEND = "orange"
    providers.expect_oneshot_request("/oauth/v3/token").respond_with_json(
        {"token_type": "Bearer", "access_token": "t", "expires_in": "3600"}
    )
    providers.expect_oneshot_request(
        "/smsmessaging/v1/outbound/tel:+2250700000000/requests"
    ).respond_with_json(
        {
            "requestError": {
                "serviceException": {
                    "messageId": "SVC0004",
                    "text": "No valid addresses provided in message part %1",
                    "variables": "address",
                }
            }
        },
        status=400,
    )
    message = send_receipt(send_now)
    assert message.status == "failed" and "SVC0004" in message.failure_reason


def test_routing_by_country_prefix(settings, providers, send_now):
    settings.SMS_ROUTES = "+225:twilio;+229:africastalking"
    providers.expect_oneshot_request(TWILIO_PATH).respond_with_json(twilio_ok("SMci"), status=201)
    providers.expect_oneshot_request("/version1/messaging").respond_with_json(AT_OK, status=201)
    ivorian = send_receipt(send_now, phone="+2250707123456")
    beninese = send_receipt(send_now)
    assert ivorian.provider == "twilio" and beninese.provider == "africastalking"


def test_all_providers_down_keeps_the_message_queued_and_raises_the_alert(providers, send_now):
    providers.expect_request("/version1/messaging").respond_with_data("Service Unavailable", status=503)
    providers.expect_request(TWILIO_PATH).respond_with_json(
        {"code": 20500, "message": "Internal Server Error", "status": 500}, status=500
    )
    failed_before = metrics.SMS_ALL_PROVIDERS_FAILED._value.get()
    message = send_receipt(send_now)
    assert message.status == "queued" and message.attempts == 1 and message.not_before is not None
    assert "africastalking: HTTP 503" in message.last_error and "twilio: HTTP 500" in message.last_error
    assert metrics.SMS_PROVIDERS_DOWN._value.get() == 1
    assert metrics.SMS_ALL_PROVIDERS_FAILED._value.get() == failed_before + 1
    # Providers come back; the backoff (and the retry task's own countdown) has passed:
    # the periodic release task sends it.
    providers.clear()
    providers.expect_oneshot_request("/version1/messaging").respond_with_json(AT_OK, status=201)
    assert services.messages_release_due() == 0  # not before its backoff
    Message.objects.filter(pk=message.pk).update(not_before=timezone.now() - timedelta(minutes=5))
    assert services.messages_release_due() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.provider) == ("sent", 2, "africastalking")
    assert metrics.SMS_PROVIDERS_DOWN._value.get() == 0


def test_gives_up_only_after_the_attempt_budget(settings, providers, send_now):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    providers.expect_request("/version1/messaging").respond_with_data("down", status=502)
    providers.expect_request(TWILIO_PATH).respond_with_data("down", status=502)
    message = send_receipt(send_now)
    assert message.status == "failed" and "gave up after 1 attempts" in message.failure_reason


def test_backoff_grows_exponentially_and_is_capped(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 5
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 300
    delays = [services.sending._backoff(n) for n in (1, 2, 3, 4, 10)]
    assert 4 <= delays[0] <= 6 and 8 <= delays[1] <= 12 and 16 <= delays[2] <= 24 and 32 <= delays[3] <= 48
    assert 240 <= delays[4] <= 360


def test_a_claimed_message_is_not_sent_twice(providers, send_now):
    providers.expect_oneshot_request("/version1/messaging").respond_with_json(AT_OK, status=201)
    message = send_receipt(send_now)
    assert services.messages_deliver(message_ids=[message.id]) == {}  # a redelivered task finds nothing
    assert len(providers.log) == 1


def test_otp_latency_is_measured(providers, send_now):
    providers.expect_oneshot_request("/version1/messaging").respond_with_json(AT_OK, status=201)
    before = metrics.OTP_LATENCY._sum.get()
    count_before = sum(b.get() for b in metrics.OTP_LATENCY._buckets)
    send_now(api.send, PHONE, TemplateKey.OTP, {"code": "123456", "purpose": "login", "minutes": 5})
    assert sum(b.get() for b in metrics.OTP_LATENCY._buckets) == count_before + 1
    assert metrics.OTP_LATENCY._sum.get() >= before
