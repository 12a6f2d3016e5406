"""Kkiapay (https://kkiapay.me), the founding document's provider. Facts from its public
admin SDKs (kkiapay Python 0.0.6, PHP and Node SDKs) and docs:

- base URLs https://api.kkiapay.me (live) and https://api-sandbox.kkiapay.me (sandbox);
  headers X-API-KEY (public key), X-PRIVATE-KEY, X-SECRET-KEY, Accept: application/json;
- verify: POST /api/v1/transactions/status {"transactionId"} → status, amount, fees, net,
  source, source_common_name, performed_at, transactionId, externalTransactionId, reason;
  status ∈ SUCCESS, PENDING, FAILED, REVERTED, INVALID_TRANSACTION, TRANSACTION_NOT_FOUND,
  INSUFFICIENT_FUND; an unknown id is a 4xx (the SDKs read any 4xx as "not found");
- refund: POST /api/v1/transactions/revert {"transactionId"} → {"code": "SUCCESS",
  "description": "REVERTED", "transactionId"}; the whole transaction only;
- webhooks: header x-kkiapay-secret equals the hash secret set in the dashboard (compared
  in constant time); any 2xx acks, Kkiapay retries otherwise. The body carries
  transactionId, isPaymentSucces, event (transaction.success / transaction.failed), amount,
  fees, method, partnerId, performedAt, stateData, failureCode, failureMessage;
- widget: <script src="https://cdn.kkiapay.me/k.js"> then openKkiapayWidget({amount, key,
  sandbox, phone, name, email, reason, data, partnerId, theme}); its success listener
  receives {transactionId};
- payouts by API were deprecated in 2023: no PAYOUT capability (Kkiapay settles to the
  merchant account; payouts go through a payout-capable provider).
"""

from __future__ import annotations

import json
from datetime import datetime

from django.conf import settings

from . import http
from .base import (
    BaseProvider,
    Capability,
    Checkout,
    CheckoutRequest,
    NotSupported,
    ProviderRejected,
    RefundResult,
    TransactionInfo,
    TxStatus,
    WebhookMessage,
    WebhookRejected,
    constant_time_equal,
    header,
)

STATUS_MAP = {
    "SUCCESS": TxStatus.SUCCEEDED,
    "PENDING": TxStatus.PENDING,
    "FAILED": TxStatus.FAILED,
    "INSUFFICIENT_FUND": TxStatus.FAILED,
    "REVERTED": TxStatus.REVERTED,
    "INVALID_TRANSACTION": TxStatus.NOT_FOUND,
    "TRANSACTION_NOT_FOUND": TxStatus.NOT_FOUND,
}
LIVE_URL = "https://api.kkiapay.me"
SANDBOX_URL = "https://api-sandbox.kkiapay.me"


def _parse_time(value) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _int(value) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number == int(number) else None


class KkiapayProvider(BaseProvider):
    name = "kkiapay"
    label = "Kkiapay"
    capabilities = frozenset({Capability.COLLECT, Capability.REFUND, Capability.WEBHOOK})
    methods = frozenset({"mobile_money", "card"})
    partial_refunds = False

    @property
    def base_url(self) -> str:
        if self.credentials.base_url:
            return self.credentials.base_url.rstrip("/")
        return LIVE_URL if self.credentials.live else settings.KKIAPAY_BASE_URL.rstrip("/") or SANDBOX_URL

    def _http(self):
        return http.client(
            "kkiapay",
            self.base_url,
            {
                "Accept": "application/json",
                "X-API-KEY": self.credentials.public_key,
                "X-PRIVATE-KEY": self.credentials.private_key,
                "X-SECRET-KEY": self.credentials.secret_key,
            },
        )

    # --- collect ---------------------------------------------------------------------------

    def start_checkout(self, request: CheckoutRequest) -> Checkout:
        widget = {
            "amount": request.amount,
            "key": self.credentials.public_key,
            "sandbox": not self.credentials.live,
            "reason": request.description[:100],
            "data": request.attempt_token,
            "partnerId": request.attempt_token,
            "theme": "#0f766e",
        }
        if request.payer_phone:
            widget["phone"] = request.payer_phone.lstrip("+")
        if request.payer_name:
            widget["name"] = request.payer_name
        if request.payer_email:
            widget["email"] = request.payer_email
        return Checkout(kind="widget", url=settings.KKIAPAY_WIDGET_URL, widget=widget)

    def verify(self, reference: str) -> TransactionInfo:
        with self._http() as client:
            try:
                response = http.request(
                    client,
                    "POST",
                    "/api/v1/transactions/status",
                    json={"transactionId": reference},
                    retry=True,
                )
            except ProviderRejected as exc:
                if exc.status in (401, 403):
                    raise
                body = exc.body if isinstance(exc.body, dict) else {}
                return TransactionInfo(
                    reference=reference,
                    status=STATUS_MAP.get(str(body.get("status", "")), TxStatus.NOT_FOUND),
                    reason=str(body.get("reason") or body.get("message") or ""),
                    raw=body,
                )
            data = http.json_of(response)
        status = STATUS_MAP.get(str(data.get("status", "")).upper(), TxStatus.PENDING)
        return TransactionInfo(
            reference=str(data.get("transactionId") or reference),
            status=status,
            amount=_int(data.get("amount")),
            currency=data.get("currency") if isinstance(data.get("currency"), str) else None,
            fees=_int(data.get("fees")),
            source=str(data.get("source") or ""),
            source_name=str(data.get("source_common_name") or ""),
            performed_at=_parse_time(data.get("performed_at")),
            partner_reference=str(data.get("partnerId") or data.get("state") or ""),
            reason=str(data.get("reason") or "")
            if not isinstance(data.get("reason"), dict)
            else json.dumps(data["reason"]),
            raw=data,
        )

    def refund(self, reference: str, *, amount: int, full: bool, key: str = "") -> RefundResult:
        """Revert the whole transaction. A transaction is reverted once: asked again (a
        retry after a timeout), Kkiapay refuses it as not eligible, and its status says
        REVERTED, which is the first revert's success."""
        if not full:
            raise NotSupported("Kkiapay reverts whole transactions only")
        with self._http() as client:
            try:
                response = http.request(
                    client, "POST", "/api/v1/transactions/revert", json={"transactionId": reference}
                )
            except ProviderRejected as exc:
                if exc.status in (401, 403):
                    raise
                if self.verify(reference).status == TxStatus.REVERTED:
                    return RefundResult(reference=reference, status=TxStatus.REVERTED)
                raise
            data = http.json_of(response)
        if (
            str(data.get("code", "")).upper() == "SUCCESS"
            or str(data.get("description", "")).upper() == "REVERTED"
        ):
            return RefundResult(
                reference=str(data.get("transactionId") or reference), status=TxStatus.REVERTED
            )
        raise ProviderRejected(f"revert refused: {data.get('code') or data.get('status')}", body=data)

    # --- webhooks --------------------------------------------------------------------------

    def verify_webhook(self, *, headers, body: bytes) -> None:
        expected = self.credentials.webhook_secret
        given = header(headers, "x-kkiapay-secret")
        if not expected or not given or not constant_time_equal(given, expected):
            raise WebhookRejected("bad x-kkiapay-secret")

    def parse_webhook(self, body: bytes) -> WebhookMessage:
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise WebhookRejected("body is not JSON") from exc
        if not isinstance(payload, dict) or not payload.get("transactionId"):
            raise WebhookRejected("no transactionId")
        reference = str(payload["transactionId"])[:100]
        event = str(payload.get("event") or "")
        if not event:
            event = "transaction.success" if payload.get("isPaymentSucces") else "transaction.failed"
        return WebhookMessage(
            event_id=f"{reference}:{event}"[:200],
            event_type=event[:60],
            reference=reference,
            partner_reference=str(payload.get("partnerId") or "")[:64],
        )
