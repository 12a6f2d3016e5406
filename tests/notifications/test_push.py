"""Push through FCM HTTP v1 against a local server speaking its documented API: service
account JWT exchanged for a token, messages:send, dead tokens pruned."""

import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from apps.notifications import api, services
from apps.notifications.models import Message, PushDevice

from .conftest import RECEIPT, receipt_context

pytestmark = pytest.mark.django_db

SEND_PATH = "/v1/projects/hokwe-test/messages:send"


def _fcm_error(code: int, status: str, error_code: str, violations=None):
    details = [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": error_code}]
    if violations:
        details.append({"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": violations})
    return {
        "error": {
            "code": code,
            "message": "Requested entity was not found.",
            "status": status,
            "details": details,
        }
    }


@pytest.fixture(scope="module")
def key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def fcm(settings, httpserver, key):
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    settings.PUSH_BACKEND = "fcm"
    settings.FCM_BASE_URL = httpserver.url_for("").rstrip("/")
    settings.FCM_SERVICE_ACCOUNT_JSON = json.dumps(
        {
            "type": "service_account",
            "project_id": "hokwe-test",
            "private_key_id": "kid-1",
            "private_key": pem,
            "client_email": "push@hokwe-test.iam.gserviceaccount.com",
            "token_uri": httpserver.url_for("/token"),
        }
    )
    httpserver.expect_request("/token", method="POST").respond_with_json(
        {"access_token": "ya29.test-token", "expires_in": 3599, "token_type": "Bearer"}
    )
    return httpserver


def _send(send_now, tenant):
    send_now(api.send, tenant.public_id, RECEIPT, receipt_context(), channels=["push"])
    return Message.objects.get(channel="push")


def test_push_goes_out_with_a_service_account_token(fcm, key, tenant, send_now):
    services.device_register(user=tenant, token="tok-android-1", platform="android", app="tenant")
    fcm.expect_oneshot_request(
        SEND_PATH, method="POST", headers={"Authorization": "Bearer ya29.test-token"}
    ).respond_with_json({"name": "projects/hokwe-test/messages/0:1500415314455276%31bd1c96"})
    message = _send(send_now, tenant)
    assert message.status == "sent" and message.provider == "fcm"
    assert message.provider_message_id == "projects/hokwe-test/messages/0:1500415314455276%31bd1c96"
    token_request = next(r for r, _ in fcm.log if r.path == "/token")
    assert token_request.form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    claims = jwt.decode(
        token_request.form["assertion"],
        key.public_key(),
        algorithms=["RS256"],
        audience=fcm.url_for("/token"),
    )
    assert claims["iss"] == "push@hokwe-test.iam.gserviceaccount.com"
    assert claims["scope"] == "https://www.googleapis.com/auth/firebase.messaging"
    assert claims["exp"] - claims["iat"] == 3600
    assert jwt.get_unverified_header(token_request.form["assertion"])["kid"] == "kid-1"
    body = next(r for r, _ in fcm.log if r.path == SEND_PATH).get_json()["message"]
    assert body["token"] == "tok-android-1"
    assert body["notification"] == {
        "title": "Paiement reçu",
        "body": "Paiement de 75\u202f000\u00a0FCFA reçu (Loyer mars 2026).",
    }
    assert body["data"]["url"] == "https://hokwe.com/r/8F3K2" and body["data"]["message_id"] == str(
        message.public_id
    )


def test_unregistered_token_is_pruned_and_the_live_one_still_gets_it(fcm, tenant, send_now):
    services.device_register(user=tenant, token="tok-dead", platform="android")
    services.device_register(user=tenant, token="tok-alive", platform="ios")

    def answer(request):
        from werkzeug import Response

        if request.get_json()["message"]["token"] == "tok-dead":
            return Response(
                json.dumps(_fcm_error(404, "NOT_FOUND", "UNREGISTERED")),
                status=404,
                content_type="application/json",
            )
        return Response(
            json.dumps({"name": "projects/hokwe-test/messages/1"}), content_type="application/json"
        )

    fcm.expect_request(SEND_PATH).respond_with_handler(answer)
    message = _send(send_now, tenant)
    assert message.status == "sent"
    assert list(PushDevice.objects.values_list("token", flat=True)) == ["tok-alive"]


def test_invalid_token_argument_is_pruned_and_the_message_fails_without_devices(fcm, tenant, send_now):
    services.device_register(user=tenant, token="tok-bad", platform="web")
    fcm.expect_request(SEND_PATH).respond_with_json(
        _fcm_error(
            400,
            "INVALID_ARGUMENT",
            "INVALID_ARGUMENT",
            [{"field": "message.token", "description": "Invalid registration token"}],
        ),
        status=400,
    )
    message = _send(send_now, tenant)
    assert message.status == "failed" and not PushDevice.objects.exists()


def test_fcm_unavailable_keeps_the_push_queued(fcm, tenant, send_now):
    services.device_register(user=tenant, token="tok-1", platform="android")
    fcm.expect_request(SEND_PATH).respond_with_json(_fcm_error(503, "UNAVAILABLE", "UNAVAILABLE"), status=503)
    message = _send(send_now, tenant)
    assert message.status == "queued" and "UNAVAILABLE" in message.last_error
    assert PushDevice.objects.count() == 1


def test_no_device_means_no_push_message(tenant):
    result = api.send(tenant.public_id, RECEIPT, receipt_context(), channels=["push"])
    assert result.outcomes[0].outcome == "unavailable"
