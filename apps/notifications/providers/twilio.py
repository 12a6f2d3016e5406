"""Twilio Programmable Messaging (https://www.twilio.com/docs/messaging/api/message-resource).

    POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json    HTTP Basic (sid, token)
    form: To, From (a number) or MessagingServiceSid (MG…), Body, StatusCallback
    201 {"sid": "SM…", "status": "queued", …}
    4xx/5xx {"code": 21211, "message": "The 'To' number … is not a valid phone number.",
             "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}

Status callbacks are form posts (MessageSid, MessageStatus: queued, sent, delivered,
undelivered, failed; ErrorCode) signed with X-Twilio-Signature: base64(HMAC-SHA1(auth
token, full URL + each POST parameter name and value, sorted by name)).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

import httpx
from django.conf import settings

from apps.core.http import http_client

from .base import Accepted, DeliveryReport, ProviderError, RecipientRejected, describe

# Errors about the recipient or the content: another provider would not do better.
RECIPIENT_REJECTED = {
    21211,
    21217,
    21401,
    21407,
    21421,
    21610,
    21612,
    21614,
    21617,
    30003,
    30004,
    30005,
    30006,
}


class TwilioSms:
    name = "twilio"

    def __init__(self):
        self.base_url = settings.TWILIO_BASE_URL.rstrip("/")
        self.account_sid = settings.TWILIO_ACCOUNT_SID
        self.auth_token = settings.TWILIO_AUTH_TOKEN
        self.sender = settings.TWILIO_FROM
        if not (self.account_sid and self.auth_token and self.sender):
            raise ProviderError("Twilio is not configured", provider=self.name)
        self.client = http_client(
            service="twilio", timeout=settings.SMS_TIMEOUT_SECONDS, auth=(self.account_sid, self.auth_token)
        )

    def send(self, *, to: str, body: str, reference: str) -> Accepted:
        form = {"To": to, "Body": body}
        form["MessagingServiceSid" if self.sender.startswith("MG") else "From"] = self.sender
        callback = status_callback_url()
        if callback:
            form["StatusCallback"] = callback
        try:
            response = self.client.post(
                f"{self.base_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json", data=form
            )
        except httpx.HTTPError as exc:
            raise ProviderError(describe(exc), provider=self.name) from exc
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code >= 400 or not isinstance(data, dict) or not data.get("sid"):
            data = data if isinstance(data, dict) else {}
            code = data.get("code")
            reason = " ".join(
                str(part)
                for part in (f"HTTP {response.status_code}", code, data.get("message") or response.text[:200])
                if part
            )
            if code in RECIPIENT_REJECTED:
                raise RecipientRejected(reason, provider=self.name)
            raise ProviderError(reason, provider=self.name)
        return Accepted(provider_message_id=data["sid"])


def status_callback_url() -> str:
    base = settings.NOTIFICATIONS_PUBLIC_BASE_URL.rstrip("/")
    return f"{base}/api/v1/notifications/callbacks/twilio" if base else ""


def signature(url: str, params: dict[str, str], auth_token: str) -> str:
    payload = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def verify(url: str, params: dict[str, str], header: str, auth_token: str) -> bool:
    if not (auth_token and header):
        return False
    return hmac.compare_digest(signature(url, params, auth_token).encode(), header.encode())


def parse_report(params: dict[str, str]) -> DeliveryReport:
    status = params.get("MessageStatus", "")
    ours = {"delivered": "delivered", "undelivered": "failed", "failed": "failed"}.get(status, "sent")
    reason = f"Twilio error {params.get('ErrorCode')}" if ours == "failed" and params.get("ErrorCode") else ""
    return DeliveryReport(
        provider_message_id=params.get("MessageSid", ""), status=ours, provider_status=status, reason=reason
    )
