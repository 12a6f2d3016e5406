"""Onfido (Entrust) API v3.6: applicant, documents, live photo, check.

    Authorization: Token token=<ONFIDO_API_TOKEN>
    POST /applicants {first_name, last_name, dob}                       -> {id}
    POST /documents (multipart: file, type, side, applicant_id, issuing_country) -> {id}
    POST /live_photos (multipart: file, applicant_id)                   -> {id}
    POST /checks {applicant_id, report_names, document_ids}             -> {id, status, result}
    GET  /checks/{id}                                                   -> {status, result}

Webhooks carry X-SHA2-Signature: the hex HMAC-SHA256 of the raw body under the webhook's
token. The check named in a verified webhook is fetched again (GET /checks/{id}) before
anything changes.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx
from django.conf import settings

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

DOCUMENT_TYPES = {
    "id_card": "national_identity_card",
    "passport": "passport",
    "driving_licence": "driving_licence",
}
ISO3 = {
    "BJ": "BEN",
    "CI": "CIV",
    "SN": "SEN",
    "TG": "TGO",
    "BF": "BFA",
    "ML": "MLI",
    "NE": "NER",
    "GW": "GNB",
    "CM": "CMR",
}


def signature_of(body: bytes, token: str) -> str:
    return hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


class OnfidoProvider:
    name = "onfido"

    def __init__(self):
        self.base_url = settings.ONFIDO_BASE_URL.rstrip("/")
        self.api_token = settings.ONFIDO_API_TOKEN
        self.webhook_token = settings.ONFIDO_WEBHOOK_TOKEN
        if not self.api_token:
            raise ProviderError("ONFIDO_API_TOKEN is not set")

    def _client(self):
        return http_client(
            service="onfido",
            timeout=settings.KYC_HTTP_TIMEOUT_SECONDS,
            base_url=self.base_url,
            headers={"Authorization": f"Token token={self.api_token}", "Accept": "application/json"},
        )

    @staticmethod
    def _json(response, *, expected=(200, 201)) -> dict:
        if response.status_code not in expected:
            raise ProviderError(
                f"Onfido {response.request.method} {response.request.url.path} answered {response.status_code}"
            )
        try:
            body = response.json()
        except ValueError:
            raise ProviderError("Onfido answered a body that is not JSON") from None
        if not isinstance(body, dict) or "id" not in body:
            raise ProviderError("Onfido answered an unexpected body")
        return body

    def start_check(self, request: CheckRequest) -> CheckStarted:
        applicant_data = {"first_name": request.first_name or "-", "last_name": request.last_name or "-"}
        if request.date_of_birth:
            applicant_data["dob"] = request.date_of_birth
        try:
            with self._client() as client:
                applicant = self._json(client.post("/applicants", json=applicant_data))
                document_ids, has_selfie = [], False
                for index, document in enumerate(request.documents):
                    upload = {"file": (f"document-{index}", document.content, document.content_type)}
                    if document.kind in DOCUMENT_TYPES:
                        data = {
                            "type": DOCUMENT_TYPES[document.kind],
                            "side": document.side or "front",
                            "applicant_id": applicant["id"],
                        }
                        if request.country in ISO3:
                            data["issuing_country"] = ISO3[request.country]
                        document_ids.append(
                            self._json(client.post("/documents", data=data, files=upload))["id"]
                        )
                    elif document.kind == "selfie":
                        self._json(
                            client.post("/live_photos", data={"applicant_id": applicant["id"]}, files=upload)
                        )
                        has_selfie = True
                if not document_ids:
                    raise ProviderError("no identity document to check")
                reports = ["document"] + (["facial_similarity_photo"] if has_selfie else [])
                check = self._json(
                    client.post(
                        "/checks",
                        json={
                            "applicant_id": applicant["id"],
                            "report_names": reports,
                            "document_ids": document_ids,
                        },
                    )
                )
        except httpx.HTTPError as exc:
            raise ProviderError(f"Onfido unreachable: {exc!r}") from None
        return CheckStarted(reference=str(check["id"]), summary=f"reports: {', '.join(reports)}")

    def fetch_result(self, reference: str) -> CheckResult:
        try:
            with self._client() as client:
                check = self._json(client.get(f"/checks/{reference}"), expected=(200,))
        except httpx.HTTPError as exc:
            raise ProviderError(f"Onfido unreachable: {exc!r}") from None
        if check.get("status") != "complete":
            return CheckResult(
                reference=reference, outcome=Outcome.PENDING, summary=str(check.get("status", ""))[:300]
            )
        result = check.get("result")
        outcome = Outcome.CLEAR if result == "clear" else Outcome.CONSIDER
        return CheckResult(reference=reference, outcome=outcome, summary=f"check {result}"[:300])

    def verify_callback(self, *, body: bytes, headers) -> CallbackEvent:
        given = (headers.get("X-SHA2-Signature") or "").strip().lower()
        if not self.webhook_token or not given:
            raise CallbackRejected("no signature")
        if not hmac.compare_digest(signature_of(body, self.webhook_token).encode(), given.encode()):
            raise CallbackRejected("bad signature")
        try:
            payload = json.loads(body)["payload"]
            resource_type, obj = payload["resource_type"], payload["object"]
            reference = str(obj["id"]) if resource_type == "check" else ""
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise CallbackRejected("not an Onfido event") from None
        return CallbackEvent(reference=reference, event_key=hashlib.sha256(body).hexdigest())
