"""Orange SMS API, Africa and Middle East (https://developer.orange.com/apis/sms).

1. Token, OAuth 2.0 client credentials:
       POST {base}/oauth/v3/token   Authorization: Basic base64(client_id:client_secret)
       form grant_type=client_credentials
       200 {"token_type": "Bearer", "access_token": "…", "expires_in": "3600"}
2. Send:
       POST {base}/smsmessaging/v1/outbound/tel%3A%2B{sender}/requests   Bearer token
       {"outboundSMSMessageRequest": {"address": "tel:+{recipient}",
         "senderAddress": "tel:+{sender}", "senderName": "Hokwe",
         "outboundSMSTextMessage": {"message": "…"}}}
       201 {"outboundSMSMessageRequest": {…, "resourceURL": "…/requests/{id}"}}
   Errors (GSMA OneAPI): {"requestError": {"serviceException" | "policyException":
       {"messageId": "SVC0004", "text": "No valid addresses provided …", "variables": "…"}}};
   an expired token answers 401 {"code": 42, "message": "Expired credentials", …}.
3. Delivery receipts (registered with Orange as "Real time SMS DR") are JSON posts:
       {"deliveryInfoNotification": {"callbackData": "{id}", "deliveryInfo":
         {"address": "tel:+…", "deliveryStatus": "DeliveredToTerminal"}}}
   They are not signed: the URL carries a secret token (ORANGE_SMS_CALLBACK_TOKEN).
"""

from __future__ import annotations

from urllib.parse import quote

import httpx
from django.conf import settings
from django.core.cache import cache

from apps.core.http import http_client

from .base import Accepted, DeliveryReport, ProviderError, RecipientRejected, describe

TOKEN_CACHE_KEY = "notifications:orange:token"
RECIPIENT_REJECTED = {"SVC0004", "SVC0002"}  # invalid address / invalid input value
DELIVERED = {"DeliveredToTerminal"}
FAILED = {"DeliveryImpossible", "DeliveryUncertain"}


class OrangeSms:
    name = "orange"

    def __init__(self):
        self.base_url = settings.ORANGE_SMS_BASE_URL.rstrip("/")
        self.client_id = settings.ORANGE_SMS_CLIENT_ID
        self.client_secret = settings.ORANGE_SMS_CLIENT_SECRET
        self.sender = settings.ORANGE_SMS_SENDER.lstrip("+")
        self.sender_name = settings.ORANGE_SMS_SENDER_NAME
        if not (self.client_id and self.client_secret and self.sender):
            raise ProviderError("Orange SMS is not configured", provider=self.name)
        self.client = http_client(service="orange", timeout=settings.SMS_TIMEOUT_SECONDS)

    def _token(self, *, refresh: bool = False) -> str:
        token = None if refresh else cache.get(TOKEN_CACHE_KEY)
        if token:
            return token
        try:
            response = self.client.post(
                f"{self.base_url}/oauth/v3/token",
                data={"grant_type": "client_credentials"},
                auth=(self.client_id, self.client_secret),
                headers={"Accept": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise ProviderError(f"token: {describe(exc)}", provider=self.name) from exc
        if response.status_code != 200:
            raise ProviderError(
                f"token: HTTP {response.status_code} {response.text[:200]}", provider=self.name
            )
        try:
            data = response.json()
            token = data["access_token"]
            lifetime = int(data.get("expires_in", 3600))  # a string in Orange's answers
        except (ValueError, KeyError, TypeError):
            raise ProviderError(f"token: unexpected answer {response.text[:200]}", provider=self.name)
        cache.set(TOKEN_CACHE_KEY, token, max(lifetime - 60, 30))
        return token

    def send(self, *, to: str, body: str, reference: str) -> Accepted:
        request = {
            "address": f"tel:+{to.lstrip('+')}",
            "senderAddress": f"tel:+{self.sender}",
            "outboundSMSTextMessage": {"message": body},
        }
        if self.sender_name:
            request["senderName"] = self.sender_name
        url = f"{self.base_url}/smsmessaging/v1/outbound/{quote(f'tel:+{self.sender}', safe='')}/requests"
        response = self._post(url, {"outboundSMSMessageRequest": request})
        if response.status_code == 401:  # token expired early or revoked: one fresh try
            response = self._post(url, {"outboundSMSMessageRequest": request}, refresh=True)
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code == 201 and isinstance(data, dict):
            resource = (data.get("outboundSMSMessageRequest") or {}).get("resourceURL", "")
            return Accepted(provider_message_id=resource.rstrip("/").rsplit("/", 1)[-1])
        error = (data.get("requestError") or {}) if isinstance(data, dict) else {}
        exception = error.get("serviceException") or error.get("policyException") or {}
        reason = f"HTTP {response.status_code} {exception.get('messageId', '')} {exception.get('text', response.text[:200])}".strip()
        if exception.get("messageId") in RECIPIENT_REJECTED:
            raise RecipientRejected(reason, provider=self.name)
        raise ProviderError(reason, provider=self.name)

    def _post(self, url: str, payload: dict, *, refresh: bool = False) -> httpx.Response:
        token = self._token(refresh=refresh)
        try:
            return self.client.post(
                url, json=payload, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}
            )
        except httpx.HTTPError as exc:
            raise ProviderError(describe(exc), provider=self.name) from exc


def parse_report(payload: dict) -> DeliveryReport:
    notification = payload["deliveryInfoNotification"]
    status = notification["deliveryInfo"]["deliveryStatus"]
    ours = "delivered" if status in DELIVERED else "failed" if status in FAILED else "sent"
    return DeliveryReport(
        provider_message_id=str(notification.get("callbackData", "")),
        status=ours,
        provider_status=status,
        reason=status if ours == "failed" else "",
    )
