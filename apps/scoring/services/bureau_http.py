"""The HTTP adapter of bureau reporting: the month's records POSTed as one batch to the
bureau's data-submission API.

Creditinfo (Creditinfo VoLo / West Africa runs the BIC of the UEMOA zone) publishes no
public data-submission API: its material describes batch uploads whose layout "is agreed
with Creditinfo" (CB5 Data Upload Manual: subjects, contracts, instalments; the Estonian
wiki: files named `req_<code>_<id>`, delivered by a SOAP file-exchange service). This adapter
is written against the shape below, taken from those concepts (subject, contract, monthly
instalment) and stated in docs/scoring.md; the real mapping is set when the data-provider
agreement is signed:

    POST {SCORING_BUREAU_API_URL}/v1/submissions
    Authorization: Bearer {SCORING_BUREAU_API_KEY}
    Idempotency-Key: {export public id}       (a retried batch is not counted twice)
    {"submission_id": "<uuid>", "provider_code": "HOKWE", "period": "2026-11",
     "records": [{"subject": {"reference", "full_name", "phone", "identification_verified"},
                  "contract": {"reference", "creditor_reference", "type": "RENT", "currency"},
                  "instalment": {"due_date", "amount_due", "amount_paid", "days_past_due",
                                 "status"}}],
     "signature": "<Ed25519 over the records' canonical JSON, base64>"}

    202/200 {"submission_reference": "...", "accepted": n, "rejected": [{"index", "code", "message"}]}
    409 {"submission_reference": "..."}      the same submission_id was already received: sent
    4xx/5xx otherwise: the export is failed (its error kept) and the next run retries it.
"""

from __future__ import annotations

import base64
import json

import httpx
from django.conf import settings

from apps.core.http import http_client

from ..models import BureauExport
from .bureau import BureauRecord, BureauResult
from .bureau_file import signing_key


def payload_records(records: list[BureauRecord]) -> list[dict]:
    return [
        {
            "subject": {
                "reference": str(r.subject),
                "full_name": r.full_name,
                "phone": r.phone,
                "identification_verified": r.identity_verified,
            },
            "contract": {
                "reference": str(r.lease),
                "creditor_reference": str(r.landlord),
                "type": "RENT",
                "currency": r.currency,
            },
            "instalment": {
                "due_date": r.due_date.isoformat(),
                "amount_due": r.amount_due,
                "amount_paid": r.amount_paid,
                "days_past_due": r.days_late,
                "status": r.status,
            },
        }
        for r in records
    ]


def canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class HttpBureau:
    name = "http"

    def submit(self, export: BureauExport, records: list[BureauRecord]) -> BureauResult:
        items = payload_records(records)
        body = {
            "submission_id": str(export.public_id),
            "provider_code": settings.SCORING_BUREAU_MEMBER_CODE,
            "period": export.period,
            "records": items,
            "signature": base64.b64encode(signing_key().sign(canonical(items))).decode(),
        }
        headers = {
            "Authorization": f"Bearer {settings.SCORING_BUREAU_API_KEY}",
            "Idempotency-Key": str(export.public_id),
        }
        with http_client(
            service="bureau",
            base_url=settings.SCORING_BUREAU_API_URL.rstrip("/"),
            timeout=settings.SCORING_BUREAU_HTTP_TIMEOUT_SECONDS,
            headers=headers,
        ) as http:
            try:
                response = http.post("/v1/submissions", json=body)
            except httpx.HTTPError as exc:
                return BureauResult(status=BureauExport.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
        try:
            data = response.json()
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        reference = str(data.get("submission_reference") or "")
        if response.status_code == 409:
            return BureauResult(status=BureauExport.Status.SENT, remote_reference=reference)
        if response.status_code not in (200, 201, 202):
            return BureauResult(
                status=BureauExport.Status.FAILED,
                error=f"HTTP {response.status_code}: {response.text[:500]}",
            )
        rejected = tuple(
            {"index": r.get("index"), "code": str(r.get("code", "")), "message": str(r.get("message", ""))}
            for r in data.get("rejected") or []
            if isinstance(r, dict)
        )
        status = (
            BureauExport.Status.ACCEPTED if response.status_code in (200, 201) else BureauExport.Status.SENT
        )
        return BureauResult(status=status, remote_reference=reference, rejected=rejected)
