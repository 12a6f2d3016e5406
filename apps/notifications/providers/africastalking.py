"""Africa's Talking SMS (https://developers.africastalking.com/docs/sms/sending).

    POST {base}/version1/messaging            header apiKey, Accept: application/json
    form: username, to, message, from (optional sender id or short code)
    201 {"SMSMessageData": {"Message": "Sent to 1/1 Total Cost: ...",
         "Recipients": [{"statusCode": 101, "number": "+229…", "status": "Success",
                         "cost": "XOF 20", "messageId": "ATXid_…"}]}}
Per-recipient statusCode: 100 Processed, 101 Sent, 102 Queued; 401 RiskHold, 402
InvalidSenderId, 403 InvalidPhoneNumber, 404 UnsupportedNumberType, 405
InsufficientBalance, 406 UserInBlacklist, 407 CouldNotRoute, 409 DoNotDisturbRejection,
500 InternalServerError, 501 GatewayError, 502 RejectedByGateway.
Errors of the request itself come back as plain text (401 "The supplied authentication is
invalid", 400 "Request is missing required form field 'to'").

Delivery reports are form posts to the callback URL registered in the dashboard:
id, status (Sent, Submitted, Buffered, Rejected, Success, Failed, AbsentSubscriber),
phoneNumber, networkCode, failureReason, retryCount. They are not signed: the URL carries
a secret token (AFRICASTALKING_CALLBACK_TOKEN) compared in constant time.
"""

from __future__ import annotations

import httpx
from django.conf import settings

from apps.core.http import http_client

from .base import Accepted, DeliveryReport, ProviderError, RecipientRejected, describe

ACCEPTED = {100, 101, 102}
RECIPIENT_REJECTED = {403, 404, 406, 409}
DELIVERED = {"Success"}
FAILED = {"Rejected", "Failed", "AbsentSubscriber"}


class AfricasTalkingSms:
    name = "africastalking"

    def __init__(self):
        self.base_url = settings.AFRICASTALKING_BASE_URL.rstrip("/")
        self.username = settings.AFRICASTALKING_USERNAME
        self.api_key = settings.AFRICASTALKING_API_KEY
        self.sender = settings.AFRICASTALKING_SENDER_ID
        if not (self.username and self.api_key):
            raise ProviderError("Africa's Talking is not configured", provider=self.name)
        self.client = http_client(service="africastalking", timeout=settings.SMS_TIMEOUT_SECONDS)

    def send(self, *, to: str, body: str, reference: str) -> Accepted:
        form = {"username": self.username, "to": to, "message": body}
        if self.sender:
            form["from"] = self.sender
        try:
            response = self.client.post(
                f"{self.base_url}/version1/messaging",
                data=form,
                headers={"apiKey": self.api_key, "Accept": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise ProviderError(describe(exc), provider=self.name) from exc
        if response.status_code >= 400:
            raise ProviderError(f"HTTP {response.status_code}: {response.text[:200]}", provider=self.name)
        try:
            data = response.json()["SMSMessageData"]
            recipients = data.get("Recipients") or []
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ProviderError(f"unexpected answer: {response.text[:200]}", provider=self.name)
        if not recipients:
            raise ProviderError(f"not sent: {data.get('Message', '')[:200]}", provider=self.name)
        first = recipients[0]
        code = int(first.get("statusCode", 0))
        status = str(first.get("status", ""))
        if code in ACCEPTED:
            return Accepted(provider_message_id=str(first.get("messageId", "")))
        if code in RECIPIENT_REJECTED:
            raise RecipientRejected(f"{code} {status}", provider=self.name)
        raise ProviderError(f"{code} {status}", provider=self.name)


def parse_report(form: dict[str, str]) -> DeliveryReport:
    status = form.get("status", "")
    ours = "delivered" if status in DELIVERED else "failed" if status in FAILED else "sent"
    return DeliveryReport(
        provider_message_id=form.get("id", ""),
        status=ours,
        provider_status=status,
        reason=form.get("failureReason", "") if ours == "failed" else "",
    )
