"""Smile ID and Onfido against local servers speaking their documented APIs; callbacks are
verified (a forged or stale one is refused and changes nothing) and confirmed with the
provider's API before anything is applied."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.kyc import api
from apps.kyc.models import ProviderCallback, Submission
from apps.kyc.providers.smile_id import sign
from apps.kyc.services import documents

from .fakes.providers import (
    ONFIDO_TOKEN,
    ONFIDO_WEBHOOK_TOKEN,
    SMILE_KEY,
    SMILE_PARTNER,
    FakeOnfido,
    FakeSmileId,
)
from .helpers import jpeg_bytes, ready_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def smile(httpserver, settings):
    settings.KYC_PROVIDER = "smile_id"
    settings.SMILE_ID_BASE_URL = httpserver.url_for("/v1")
    settings.SMILE_ID_PARTNER_ID = SMILE_PARTNER
    settings.SMILE_ID_API_KEY = SMILE_KEY
    settings.SMILE_ID_CALLBACK_URL = "https://hokwe.example/api/v1/kyc/callbacks/smile-id"
    settings.KYC_HTTP_TIMEOUT_SECONDS = 2
    return FakeSmileId(httpserver).install()


@pytest.fixture
def onfido(httpserver, settings):
    settings.KYC_PROVIDER = "onfido"
    settings.ONFIDO_BASE_URL = httpserver.url_for("/v3.6")
    settings.ONFIDO_API_TOKEN = ONFIDO_TOKEN
    settings.ONFIDO_WEBHOOK_TOKEN = ONFIDO_WEBHOOK_TOKEN
    settings.KYC_HTTP_TIMEOUT_SECONDS = 2
    return FakeOnfido(httpserver).install()


def submit_with_selfie(user, tier, capture):
    draft = ready_submission(user, tier=tier, submit=False)
    if tier == 1:
        documents.document_upload(actor=user, kind="selfie", data=jpeg_bytes(color=(5, 5, 5)))
    from apps.kyc.services.submissions import submission_submit

    with capture(execute=True):  # commit: the outbox hands the submission to the provider
        submission_submit(actor=user, submission=draft)
    return Submission.objects.get(pk=draft.pk)


def smile_callback(submission, *, timestamp=None, key=SMILE_KEY, result="0810"):
    timestamp = timestamp or timezone.now().isoformat()
    return {
        "signature": sign(api_key=key, partner_id=SMILE_PARTNER, timestamp=timestamp),
        "timestamp": timestamp,
        "SmileJobID": "0000000451",
        "ResultCode": result,
        "ResultText": "Document Verified",
        "PartnerParams": {
            "user_id": submission.user.public_id.hex,
            "job_id": submission.public_id.hex,
            "job_type": 6,
        },
    }


def post(path, payload, **headers):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return APIClient().generic("POST", path, body, content_type="application/json", **headers)


def test_smile_id_document_verification_end_to_end(person, smile, django_capture_on_commit_callbacks):
    submission = submit_with_selfie(person, 1, django_capture_on_commit_callbacks)
    assert submission.status == "in_review" and submission.provider == "smile_id"
    upload = smile.uploads[submission.public_id.hex]
    assert upload["info"]["misc_information"]["partner_params"]["job_type"] == 6
    assert {i["image_type_id"] for i in upload["info"]["images"]} == {0, 1}
    assert set(upload["files"]) == {"selfie.jpg", "id_front.jpg"} and upload["files"][
        "id_front.jpg"
    ].startswith(b"\xff\xd8")
    assert upload["info"]["id_info"] == {"country": "BJ", "id_type": "NATIONAL_ID"}

    response = post("/api/v1/kyc/callbacks/smile-id", smile_callback(submission))
    assert response.status_code == 200 and response.json() == {"status": "applied"}
    submission.refresh_from_db()
    assert (
        submission.status == "approved"
        and submission.decided_via == "provider"
        and submission.provider_outcome == "clear"
    )
    assert api.tier_of(person) == 1
    assert (
        post("/api/v1/kyc/callbacks/smile-id", smile_callback(submission) | {"timestamp": None}).status_code
        == 403
    )


def test_smile_id_biometric_kyc_for_tier_2_still_needs_staff(
    person, smile, django_capture_on_commit_callbacks
):
    submission = submit_with_selfie(person, 2, django_capture_on_commit_callbacks)
    upload = smile.uploads[submission.public_id.hex]["info"]
    assert upload["misc_information"]["partner_params"]["job_type"] == 1
    assert upload["id_info"]["id_number"] == "BJ-1234567" and upload["id_info"]["entered"] is True
    assert post("/api/v1/kyc/callbacks/smile-id", smile_callback(submission)).json() == {"status": "applied"}
    submission.refresh_from_db()
    assert submission.status == "in_review" and submission.provider_outcome == "clear"  # four-eyes still
    assert api.tier_of(person) == 0


def test_forged_and_stale_smile_callbacks_are_refused(
    person, smile, django_capture_on_commit_callbacks, time_machine
):
    submission = submit_with_selfie(person, 1, django_capture_on_commit_callbacks)
    forged = post("/api/v1/kyc/callbacks/smile-id", smile_callback(submission, key="guessed-key"))
    assert forged.status_code == 403 and forged.json()["code"] == "callback_signature_invalid"
    assert post("/api/v1/kyc/callbacks/smile-id", b"not json").status_code == 403
    stale = smile_callback(submission, timestamp=(timezone.now() - timedelta(hours=2)).isoformat())
    assert post("/api/v1/kyc/callbacks/smile-id", stale).status_code == 403
    submission.refresh_from_db()
    assert submission.status == "in_review" and not ProviderCallback.objects.exists()


def test_a_callback_cannot_lie_about_the_result(person, smile, django_capture_on_commit_callbacks):
    """The callback's signature covers only its timestamp: the result is read from job_status."""
    submission = submit_with_selfie(person, 1, django_capture_on_commit_callbacks)
    smile.result = {"job_success": False, "ResultCode": "0811", "ResultText": "Document Not Verified"}
    assert post("/api/v1/kyc/callbacks/smile-id", smile_callback(submission, result="0810")).json() == {
        "status": "applied"
    }
    submission.refresh_from_db()
    assert submission.status == "in_review" and submission.provider_outcome == "consider"
    assert "0811" in submission.provider_summary and api.tier_of(person) == 0


def test_a_replayed_callback_is_answered_not_reapplied(person, smile, django_capture_on_commit_callbacks):
    submission = submit_with_selfie(person, 1, django_capture_on_commit_callbacks)
    smile.complete = False
    payload = smile_callback(submission)
    assert post("/api/v1/kyc/callbacks/smile-id", payload).json() == {"status": "pending"}
    assert post("/api/v1/kyc/callbacks/smile-id", payload).json() == {"status": "replayed"}
    smile.sign_answers_with = "someone-else"  # an answer not signed with our key is not believed
    from apps.kyc.services.providers import provider_checks_refresh

    Submission.objects.filter(pk=submission.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    smile.complete = True
    assert provider_checks_refresh() == 0
    smile.sign_answers_with = SMILE_KEY
    assert provider_checks_refresh() == 1
    assert Submission.objects.get(pk=submission.pk).status == "approved"


def test_without_selfie_smile_id_falls_back_to_staff_review(
    person, smile, django_capture_on_commit_callbacks
):
    from apps.kyc.services.submissions import submission_submit

    draft = ready_submission(person, tier=1, submit=False)
    with django_capture_on_commit_callbacks(execute=True):
        submission_submit(actor=person, submission=draft)
    draft.refresh_from_db()
    assert draft.provider == "manual" and draft.status == "submitted" and not smile.uploads


def onfido_event(check_id: str) -> bytes:
    return json.dumps(
        {
            "payload": {
                "resource_type": "check",
                "action": "check.completed",
                "object": {"id": check_id, "status": "complete", "href": f"/v3.6/checks/{check_id}"},
            }
        }
    ).encode()


def onfido_signature(body: bytes, token: str = ONFIDO_WEBHOOK_TOKEN) -> str:
    return hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


def test_onfido_applicant_documents_check_and_webhook(person, onfido, django_capture_on_commit_callbacks):
    submission = submit_with_selfie(person, 1, django_capture_on_commit_callbacks)
    assert submission.provider == "onfido" and submission.provider_reference == "check-1"
    assert onfido.applicants["applicant-1"]["last_name"] == "Zinsou"
    assert (
        onfido.documents[0]["type"] == "national_identity_card"
        and onfido.documents[0]["issuing_country"] == "BEN"
    )
    assert len(onfido.live_photos) == 1
    assert onfido.checks["check-1"]["report_names"] == ["document", "facial_similarity_photo"]

    body = onfido_event("check-1")
    early = post("/api/v1/kyc/callbacks/onfido", body, HTTP_X_SHA2_SIGNATURE=onfido_signature(body))
    assert early.json() == {"status": "pending"}  # the API says in progress: nothing changes
    onfido.complete("check-1", "clear")
    body2 = body + b" "
    applied = post("/api/v1/kyc/callbacks/onfido", body2, HTTP_X_SHA2_SIGNATURE=onfido_signature(body2))
    assert applied.json() == {"status": "applied"}
    assert Submission.objects.get(pk=submission.pk).status == "approved" and api.tier_of(person) == 1


def test_forged_onfido_webhooks_are_refused(person, onfido, django_capture_on_commit_callbacks):
    submission = submit_with_selfie(person, 1, django_capture_on_commit_callbacks)
    onfido.complete("check-1", "clear")
    body = onfido_event("check-1")
    for headers in (
        {},
        {"HTTP_X_SHA2_SIGNATURE": onfido_signature(body, "wrong-token")},
        {"HTTP_X_SHA2_SIGNATURE": onfido_signature(b"other body")},
    ):
        response = post("/api/v1/kyc/callbacks/onfido", body, **headers)
        assert response.status_code == 403 and response.json()["code"] == "callback_signature_invalid"
    assert Submission.objects.get(pk=submission.pk).status == "in_review"


def test_onfido_consider_goes_to_staff(person, onfido, django_capture_on_commit_callbacks):
    submission = submit_with_selfie(person, 1, django_capture_on_commit_callbacks)
    onfido.complete("check-1", "consider")
    body = onfido_event("check-1")
    assert post(
        "/api/v1/kyc/callbacks/onfido", body, HTTP_X_SHA2_SIGNATURE=onfido_signature(body)
    ).json() == {"status": "applied"}
    submission.refresh_from_db()
    assert submission.status == "in_review" and submission.provider_outcome == "consider"


def test_provider_down_keeps_the_submission_for_later(person, settings, django_capture_on_commit_callbacks):
    settings.KYC_PROVIDER = "onfido"
    settings.ONFIDO_BASE_URL = "http://127.0.0.1:9/v3.6"  # nothing listens there
    settings.ONFIDO_API_TOKEN = ONFIDO_TOKEN
    settings.KYC_HTTP_TIMEOUT_SECONDS = 0.5
    submission = submit_with_selfie(person, 1, django_capture_on_commit_callbacks)
    assert submission.status == "submitted" and submission.provider_reference == ""  # the outbox retries
