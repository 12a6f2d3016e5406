"""FedaPay (https://fedapay.com): the second real adapter, and a payout-capable one.

- https://sandbox-api.fedapay.com/v1 and https://live-api.fedapay.com/v1, Bearer secret key;
- objects are wrapped under their type: {"v1/transaction": {...}}, {"v1/payout": {...}};
- collect: POST /transactions, then POST /transactions/{id}/token → {token, url} (redirect),
  or POST /{mode} {token} to push the debit to the payer's phone (mtn_open, moov, …);
- verify: GET /transactions/{id}; status pending | approved | declined | canceled |
  refunded | transferred; list: GET /transactions?page=&per_page=;
- payouts: POST /payouts, PUT /payouts/start {"payouts": [{"id"}]}, GET /payouts/{id}
  (pending | started | processing | sent | failed);
- webhooks: X-FEDAPAY-SIGNATURE: t=<unix>,s=<hex>, s = HMAC-SHA256("<t>.<raw body>") under
  the endpoint's secret; events older than the tolerance are refused (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import datetime

from django.conf import settings

from . import http
from .base import (
    BaseProvider,
    Capability,
    Checkout,
    CheckoutRequest,
    PayoutDestination,
    PayoutResult,
    ProviderRejected,
    TransactionInfo,
    TxStatus,
    WebhookMessage,
    WebhookRejected,
    constant_time_equal,
    header,
)

STATUS_MAP = {
    "approved": TxStatus.SUCCEEDED,
    "transferred": TxStatus.SUCCEEDED,
    "pending": TxStatus.PENDING,
    "declined": TxStatus.FAILED,
    "canceled": TxStatus.FAILED,
    "refunded": TxStatus.REVERTED,
}
PAYOUT_MAP = {"sent": "paid", "failed": "failed"}
LIVE_URL = "https://live-api.fedapay.com/v1"


def sign(body: bytes | str, secret: str, timestamp: int) -> str:
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    return hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()


def signature_header(body: bytes | str, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},s={sign(body, secret, timestamp)}"


def _time(value) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _names(full_name: str) -> tuple[str, str]:
    parts = (full_name or "Client Hokwe").split(" ", 1)
    return parts[0], parts[1] if len(parts) > 1 else parts[0]


class FedapayProvider(BaseProvider):
    name = "fedapay"
    label = "FedaPay"
    capabilities = frozenset(
        {Capability.COLLECT, Capability.WEBHOOK, Capability.LIST, Capability.PAYOUT, Capability.PUSH}
    )
    methods = frozenset({"mobile_money", "card"})

    @property
    def base_url(self) -> str:
        if self.credentials.base_url:
            return self.credentials.base_url.rstrip("/")
        return LIVE_URL if self.credentials.live else settings.FEDAPAY_BASE_URL.rstrip("/")

    def _http(self):
        return http.client(
            "fedapay",
            self.base_url,
            {"Accept": "application/json", "Authorization": f"Bearer {self.credentials.secret_key}"},
        )

    def _customer(self, request_name: str, phone: str, country: str = "bj") -> dict:
        first, last = _names(request_name)
        customer = {"firstname": first, "lastname": last}
        if phone:
            customer["phone_number"] = {"number": phone, "country": country.lower()}
        return customer

    def _create(self, client, request: CheckoutRequest) -> tuple[str, dict]:
        body = {
            "description": request.description[:200],
            "amount": request.amount,
            "currency": {"iso": request.currency},
            "callback_url": request.return_url,
            "custom_metadata": {"attempt": request.attempt_token},
            "customer": self._customer(request.payer_name, request.payer_phone),
        }
        created = (
            http.json_of(http.request(client, "POST", "/transactions", json=body)).get("v1/transaction") or {}
        )
        if not created.get("id"):
            raise ProviderRejected("no transaction id in the answer", body=created)
        transaction_id = str(created["id"])
        token = http.json_of(http.request(client, "POST", f"/transactions/{transaction_id}/token", json={}))
        token = token.get("v1/token", token) if isinstance(token.get("v1/token"), dict) else token
        return transaction_id, token

    def start_checkout(self, request: CheckoutRequest) -> Checkout:
        with self._http() as client:
            transaction_id, token = self._create(client, request)
        return Checkout(kind="redirect", url=str(token.get("url", "")), provider_reference=transaction_id)

    def push(self, request: CheckoutRequest, *, phone: str, operator: str = "") -> Checkout:
        request = CheckoutRequest(**{**request.__dict__, "payer_phone": phone})
        with self._http() as client:
            transaction_id, token = self._create(client, request)
            http.request(client, "POST", f"/{operator or 'mtn_open'}", json={"token": token.get("token", "")})
        return Checkout(kind="push", provider_reference=transaction_id)

    def _info(self, data: dict, reference: str) -> TransactionInfo:
        currency = data.get("currency")
        iso = currency.get("iso") if isinstance(currency, dict) else None
        metadata = data.get("custom_metadata") if isinstance(data.get("custom_metadata"), dict) else {}
        amount = data.get("amount")
        return TransactionInfo(
            reference=str(data.get("id") or reference),
            status=STATUS_MAP.get(str(data.get("status", "")), TxStatus.PENDING),
            amount=amount if isinstance(amount, int) and not isinstance(amount, bool) else None,
            currency=iso,
            fees=data.get("fees") if isinstance(data.get("fees"), int) else None,
            source=str(data.get("mode") or ""),
            performed_at=_time(data.get("approved_at") or data.get("updated_at")),
            partner_reference=str(metadata.get("attempt") or ""),
            reason=str(data.get("last_error_code") or ""),
            raw=data,
        )

    def verify(self, reference: str) -> TransactionInfo:
        with self._http() as client:
            response = http.request(
                client, "GET", f"/transactions/{reference}", retry=True, ok_statuses=(404,)
            )
            if response.status_code == 404:
                return TransactionInfo(reference=reference, status=TxStatus.NOT_FOUND)
            data = http.json_of(response).get("v1/transaction") or {}
        return self._info(data, reference)

    def list_transactions(self, *, start: datetime, end: datetime):
        page = 1
        with self._http() as client:
            while True:
                data = http.json_of(
                    http.request(
                        client, "GET", "/transactions", params={"page": page, "per_page": 100}, retry=True
                    )
                )
                for row in data.get("v1/transactions") or []:
                    created = _time(row.get("created_at"))
                    if created is None or start <= created < end:
                        yield self._info(row, str(row.get("id")))
                meta = data.get("meta") or {}
                if page >= int(meta.get("last_page") or 1):
                    break
                page += 1

    # --- payouts ---------------------------------------------------------------------------

    def payout(
        self, *, reference: str, amount: int, currency: str, destination: PayoutDestination
    ) -> PayoutResult:
        first, last = _names(destination.holder_name)
        body = {
            "amount": amount,
            "currency": {"iso": currency},
            "mode": destination.operator or "mtn_open",
            "custom_metadata": {"payout": reference},
            "customer": {
                "firstname": first,
                "lastname": last,
                "phone_number": {"number": destination.phone, "country": destination.country.lower()},
            },
        }
        with self._http() as client:
            created = http.json_of(http.request(client, "POST", "/payouts", json=body)).get("v1/payout") or {}
            if not created.get("id"):
                raise ProviderRejected("no payout id in the answer", body=created)
            payout_id = str(created["id"])
            http.request(client, "PUT", "/payouts/start", json={"payouts": [{"id": payout_id}]})
        return PayoutResult(reference=payout_id, status="processing")

    def find_payout(self, reference: str) -> PayoutResult | None:
        """Our payout (custom_metadata.payout = our reference) in GET /payouts, started if it
        was created but never started (a send cut between its two calls); None if absent."""
        page = 1
        with self._http() as client:
            while True:
                data = http.json_of(
                    http.request(
                        client, "GET", "/payouts", params={"page": page, "per_page": 100}, retry=True
                    )
                )
                for row in data.get("v1/payouts") or []:
                    metadata = (
                        row.get("custom_metadata") if isinstance(row.get("custom_metadata"), dict) else {}
                    )
                    if str(metadata.get("payout") or "") != reference or not row.get("id"):
                        continue
                    payout_id = str(row["id"])
                    if str(row.get("status", "")) == "pending":
                        http.request(client, "PUT", "/payouts/start", json={"payouts": [{"id": payout_id}]})
                    return PayoutResult(reference=payout_id, status="processing")
                meta = data.get("meta") or {}
                if page >= int(meta.get("last_page") or 1):
                    return None
                page += 1

    def payout_status(self, reference: str) -> PayoutResult:
        with self._http() as client:
            data = (
                http.json_of(http.request(client, "GET", f"/payouts/{reference}", retry=True)).get(
                    "v1/payout"
                )
                or {}
            )
        status = PAYOUT_MAP.get(str(data.get("status", "")), "processing")
        return PayoutResult(reference=reference, status=status, reason=str(data.get("last_error_code") or ""))

    # --- webhooks --------------------------------------------------------------------------

    def verify_webhook(self, *, headers, body: bytes) -> None:
        secret = self.credentials.webhook_secret
        value = header(headers, "x-fedapay-signature")
        if not secret or not value:
            raise WebhookRejected("missing signature")
        timestamp, signatures = -1, []
        for item in value.split(","):
            key, _sep, val = item.strip().partition("=")
            if key == "t" and val.isdigit():
                timestamp = int(val)
            elif key == "s":
                signatures.append(val)
        if timestamp < 0 or not signatures:
            raise WebhookRejected("malformed signature header")
        expected = sign(body, secret, timestamp)
        if not any(constant_time_equal(expected, s) for s in signatures):
            raise WebhookRejected("bad signature")
        if abs(time.time() - timestamp) > settings.FEDAPAY_WEBHOOK_TOLERANCE_SECONDS:
            raise WebhookRejected("timestamp outside the tolerance")

    def parse_webhook(self, body: bytes) -> WebhookMessage:
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise WebhookRejected("body is not JSON") from exc
        if not isinstance(payload, dict):
            raise WebhookRejected("unexpected body")
        name = str(payload.get("name") or "")
        entity = payload.get("entity") if isinstance(payload.get("entity"), dict) else {}
        if not name or not entity.get("id"):
            raise WebhookRejected("no event name or entity")
        kind = "payout" if name.startswith("payout.") else "transaction"
        metadata = entity.get("custom_metadata") if isinstance(entity.get("custom_metadata"), dict) else {}
        event_id = str(payload.get("id") or f"{name}:{entity['id']}:{entity.get('updated_at', '')}")
        return WebhookMessage(
            event_id=event_id[:200],
            event_type=name[:60],
            reference=str(entity["id"])[:100],
            kind=kind,
            partner_reference=str(metadata.get("attempt") or metadata.get("payout") or "")[:64],
        )
