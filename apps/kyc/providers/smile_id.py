"""Smile ID (https://docs.usesmileid.com), server-to-server REST API v1.

Signature (requests, responses and callbacks):
    signature = base64(HMAC-SHA256(api_key, timestamp + partner_id + "sid_request"))
sent with the ISO 8601 `timestamp` it covers.

A job: POST {base}/upload {file_name, smile_client_id, partner_params{user_id, job_id,
job_type}, callback_url, signature, timestamp, …} answers an `upload_url`; the images go
there in a ZIP (PUT, application/zip) with an info.json describing them; the result comes
to the callback URL and from POST {base}/job_status {partner_id, user_id, job_id,
signature, timestamp, image_links, history}.

Jobs used: tier 1 → Document Verification (job_type 6: ID image front/back + selfie);
tier 2 → Biometric KYC (job_type 1: selfie checked against the ID authority's record of
the ID number entered). A tier-1 submission without a selfie, or with a PDF as ID, cannot
go to Smile ID: `Unsupported` sends it to staff review.

The callback's signature covers only the timestamp, not the body: a callback is accepted
only with a fresh timestamp, recorded once, and its result is always fetched again from
job_status (whose answer is signed too) before anything changes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import zipfile
from datetime import datetime

import httpx
from django.conf import settings
from django.utils import timezone

from apps.core.http import http_client

from .base import (
    CallbackEvent,
    CallbackRejected,
    CheckRequest,
    CheckResult,
    CheckStarted,
    Outcome,
    ProviderError,
)

JOB_BIOMETRIC_KYC = 1
JOB_DOCUMENT_VERIFICATION = 6
IMAGE_SELFIE, IMAGE_ID_FRONT, IMAGE_ID_BACK = 0, 1, 5
ID_TYPES = {"id_card": "NATIONAL_ID", "passport": "PASSPORT", "driving_licence": "DRIVERS_LICENSE"}


class Unsupported(ProviderError):
    """This submission cannot be checked by Smile ID (staff review instead)."""


def sign(*, api_key: str, partner_id: str, timestamp: str) -> str:
    digest = hmac.new(
        api_key.encode(), f"{timestamp}{partner_id}sid_request".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


class SmileIdProvider:
    name = "smile_id"

    def __init__(self):
        self.base_url = settings.SMILE_ID_BASE_URL.rstrip("/")
        self.partner_id = settings.SMILE_ID_PARTNER_ID
        self.api_key = settings.SMILE_ID_API_KEY
        self.callback_url = settings.SMILE_ID_CALLBACK_URL
        if not (self.partner_id and self.api_key):
            raise ProviderError("SMILE_ID_PARTNER_ID and SMILE_ID_API_KEY are not set")

    # --- signatures ---------------------------------------------------------------------

    def security(self) -> dict:
        timestamp = timezone.now().isoformat()
        return {
            "signature": sign(api_key=self.api_key, partner_id=self.partner_id, timestamp=timestamp),
            "timestamp": timestamp,
        }

    def signature_ok(self, *, signature: str, timestamp: str) -> bool:
        if not isinstance(signature, str) or not isinstance(timestamp, str) or not signature or not timestamp:
            return False
        expected = sign(api_key=self.api_key, partner_id=self.partner_id, timestamp=timestamp)
        return hmac.compare_digest(expected.encode(), signature.encode())

    # --- jobs ---------------------------------------------------------------------------

    def _images(self, request: CheckRequest) -> tuple[list[dict], dict[str, bytes], str]:
        images, files, id_type = [], {}, ""
        for document in request.documents:
            if document.kind == "selfie":
                type_id, name = IMAGE_SELFIE, "selfie.jpg"
            elif document.kind in ID_TYPES:
                id_type = id_type or ID_TYPES[document.kind]
                type_id, name = (
                    (IMAGE_ID_BACK, "id_back.jpg")
                    if document.side == "back"
                    else (IMAGE_ID_FRONT, "id_front.jpg")
                )
            else:
                continue  # proof of address: reviewed by staff, not by Smile ID
            if not document.content_type.startswith("image/"):
                raise Unsupported("Smile ID takes images only")
            images.append({"image_type_id": type_id, "image": "", "file_name": name})
            files[name] = document.content
        if not any(i["image_type_id"] == IMAGE_SELFIE for i in images):
            raise Unsupported("Smile ID jobs need a selfie")
        return images, files, id_type

    def start_check(self, request: CheckRequest) -> CheckStarted:
        images, files, id_type = self._images(request)
        job_type = (
            JOB_BIOMETRIC_KYC if request.target_tier >= 2 and request.id_number else JOB_DOCUMENT_VERIFICATION
        )
        partner_params = {
            "user_id": request.user_reference,
            "job_id": request.reference,
            "job_type": job_type,
        }
        id_info = {"country": request.country, "id_type": id_type}
        if job_type == JOB_BIOMETRIC_KYC:
            id_info |= {
                "id_number": request.id_number,
                "first_name": request.first_name,
                "last_name": request.last_name,
                "dob": request.date_of_birth,
                "entered": True,
            }
        security = self.security()
        with http_client(
            service="smile_id", timeout=settings.KYC_HTTP_TIMEOUT_SECONDS, base_url=self.base_url
        ) as client:
            try:
                prep = client.post(
                    "/upload",
                    json={
                        "file_name": "selfie.zip",
                        "smile_client_id": self.partner_id,
                        "partner_params": partner_params,
                        "model_parameters": {},
                        "callback_url": self.callback_url,
                        "source_sdk": "rest_api",
                        "source_sdk_version": "1.0.0",
                        **security,
                    },
                )
                if prep.status_code != 200:
                    raise ProviderError(f"Smile ID /upload answered {prep.status_code}")
                answer = prep.json()
                upload_url = answer["upload_url"]
                archive = self._zip(security, partner_params, id_info, images, files, upload_url)
                uploaded = client.put(
                    upload_url, content=archive, headers={"Content-Type": "application/zip"}
                )
            except (ValueError, KeyError) as exc:
                raise ProviderError(f"Smile ID answered an unexpected body: {exc!r}") from None
            except httpx.HTTPError as exc:
                raise ProviderError(f"Smile ID unreachable: {exc!r}") from None
        if uploaded.status_code not in (200, 201, 204):
            raise ProviderError(f"Smile ID upload answered {uploaded.status_code}")
        return CheckStarted(
            reference=f"{request.user_reference}:{request.reference}",
            summary=f"job_type {job_type}, Smile job {answer.get('smile_job_id', '')}",
        )

    def _zip(self, security, partner_params, id_info, images, files, upload_url) -> bytes:
        info = {
            "package_information": {
                "apiVersion": {"buildNumber": 0, "majorVersion": 2, "minorVersion": 0},
                "language": "python",
            },
            "misc_information": {
                **security,
                "retry": "false",
                "partner_params": partner_params,
                "file_name": "selfie.zip",
                "smile_client_id": self.partner_id,
                "callback_url": self.callback_url,
            },
            "id_info": id_info,
            "images": images,
            "server_information": upload_url,
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("info.json", json.dumps(info))
            for name, content in files.items():
                archive.writestr(name, content)
        return buffer.getvalue()

    def fetch_result(self, reference: str) -> CheckResult:
        user_id, _sep, job_id = reference.partition(":")
        with http_client(
            service="smile_id", timeout=settings.KYC_HTTP_TIMEOUT_SECONDS, base_url=self.base_url
        ) as client:
            try:
                response = client.post(
                    "/job_status",
                    json={
                        **self.security(),
                        "partner_id": self.partner_id,
                        "user_id": user_id,
                        "job_id": job_id,
                        "image_links": False,
                        "history": False,
                    },
                )
                body = response.json()
            except (ValueError, httpx.HTTPError) as exc:
                raise ProviderError(f"Smile ID job_status failed: {exc!r}") from None
        if response.status_code != 200 or not isinstance(body, dict):
            raise ProviderError(f"Smile ID job_status answered {response.status_code}")
        if not self.signature_ok(signature=body.get("signature", ""), timestamp=body.get("timestamp", "")):
            raise ProviderError("Smile ID job_status answer is not signed by our partner key")
        if not body.get("job_complete"):
            return CheckResult(reference=reference, outcome=Outcome.PENDING)
        result = body.get("result") if isinstance(body.get("result"), dict) else {}
        summary = f"{result.get('ResultCode', '')} {result.get('ResultText', '')}".strip()[:300]
        outcome = Outcome.CLEAR if body.get("job_success") is True else Outcome.CONSIDER
        return CheckResult(reference=reference, outcome=outcome, summary=summary)

    # --- callbacks ----------------------------------------------------------------------

    def verify_callback(self, *, body: bytes, headers) -> CallbackEvent:
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise CallbackRejected("not JSON") from None
        if not isinstance(payload, dict):
            raise CallbackRejected("not an object")
        signature, timestamp = payload.get("signature", ""), payload.get("timestamp", "")
        if not self.signature_ok(signature=signature, timestamp=timestamp):
            raise CallbackRejected("bad signature")
        try:
            sent = datetime.fromisoformat(str(timestamp).replace("Z", "+00:00"))
            if sent.tzinfo is None:
                sent = timezone.make_aware(sent, timezone.get_default_timezone())
        except ValueError:
            raise CallbackRejected("bad timestamp") from None
        if abs((timezone.now() - sent).total_seconds()) > settings.KYC_CALLBACK_TOLERANCE_SECONDS:
            raise CallbackRejected("stale timestamp")
        params = payload.get("PartnerParams") if isinstance(payload.get("PartnerParams"), dict) else {}
        user_id, job_id = str(params.get("user_id", "")), str(params.get("job_id", ""))
        if not user_id or not job_id:
            raise CallbackRejected("no PartnerParams")
        return CallbackEvent(
            reference=f"{user_id}:{job_id}", event_key=hashlib.sha256(signature.encode()).hexdigest()
        )
