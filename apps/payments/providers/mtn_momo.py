"""MTN Mobile Money Open API (https://momodeveloper.mtn.com) as a payments provider:
collection (a push to the payer's phone: `requesttopay`), disbursement (payouts: `transfer`),
the account holder's name (payout accounts in their owner's name) and unsigned callbacks
confirmed by the status call. docs/payments.md, "MTN MoMo", says the same for operators.

- base URL `https://sandbox.momodeveloper.mtn.com` (sandbox) or the production URL MTN gives
  the partner (`MTN_MOMO_BASE_URL`); every call carries the product's own
  `Ocp-Apim-Subscription-Key` (Collection and Disbursement have different keys);
- token per product: `POST /{product}/token/` with HTTP Basic (API user : API key) and an
  empty body → `{"access_token", "token_type": "access_token", "expires_in": 3600}`; kept
  until a minute before it expires; a 401 on a call asks for a new token once;
- every call: `Authorization: Bearer <token>`, `X-Target-Environment` (`sandbox`,
  `mtnbenin`, `mtnivorycoast`…);
- collection: `POST /collection/v1_0/requesttopay` with `X-Reference-Id` (a UUID version 4:
  the idempotency key), `X-Callback-Url` (optional) and `{amount (a string, major units),
  currency, externalId, payer {partyIdType: MSISDN, partyId}, payerMessage, payeeNote}` →
  202 Accepted, no body; `GET /collection/v1_0/requesttopay/{referenceId}` → the same fields
  plus `status` (PENDING | SUCCESSFUL | FAILED), `reason` (PAYER_NOT_FOUND,
  NOT_ENOUGH_FUNDS, APPROVAL_REJECTED, EXPIRED…) and `financialTransactionId`;
- disbursement: `POST /disbursement/v1_0/transfer` (`payee` instead of `payer`) and
  `GET /disbursement/v1_0/transfer/{referenceId}`, same statuses;
- account holder: `GET /{product}/v1_0/accountholder/msisdn/{msisdn}/basicuserinfo`
  (`given_name`, `family_name`, `status`…) and `…/active` (`{"result": true}`); the MSISDN is
  the number in international form without "+" (22901…); 404: no such account;
- errors: `{"code", "message"}`; 409 `RESOURCE_ALREADY_EXIST` on a reference id already used
  (here: the request was already received — its status is read, nothing is sent twice);
  404 `RESOURCE_NOT_FOUND` on a status call (never received); other 4xx → ProviderRejected
  with the code; 5xx and timeouts → ProviderUnavailable (asked again under the same
  reference, so a request that did reach MTN answers 409 and is read, not sent again);
- callbacks (PUT or POST on `X-Callback-Url`) carry the status body, are not signed and often
  lack the reference id: the body is never trusted. It only names the transaction (its
  `externalId`, from which our reference id is derived); the status call says what happened.

Reference ids are derived from our own references (the attempt token, the payout's public
id) — a UUID shaped as version 4, as MTN requires — so a repeated call re-uses its id and MTN
refuses a second debit or transfer. Amounts are integers in minor units here and decimal
strings in major units at MTN. Only the configured currency (`MTN_MOMO_CURRENCY`; the
sandbox takes EUR only) is ever sent. No network call inside a database transaction
(providers/http.py refuses).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings

from apps.core.money import EXPONENTS

from . import http
from .base import (
    AccountHolder,
    BaseProvider,
    Capability,
    Checkout,
    CheckoutRequest,
    Credentials,
    PayoutDestination,
    PayoutResult,
    ProviderRejected,
    TransactionInfo,
    TxStatus,
    WebhookMessage,
    WebhookRejected,
)

SANDBOX_URL = "https://sandbox.momodeveloper.mtn.com"
COLLECTION, DISBURSEMENT = "collection", "disbursement"
WEBHOOK_PATH = "/api/v1/payments/webhooks/mtn_momo"

STATUS_MAP = {
    "SUCCESSFUL": TxStatus.SUCCEEDED,
    "PENDING": TxStatus.PENDING,
    "ONGOING": TxStatus.PENDING,
    "CREATED": TxStatus.PENDING,
    "FAILED": TxStatus.FAILED,
    "REJECTED": TxStatus.FAILED,
    "TIMEOUT": TxStatus.FAILED,
    "EXPIRED": TxStatus.FAILED,
}
PAYOUT_MAP = {TxStatus.SUCCEEDED: "paid", TxStatus.FAILED: "failed"}
# What each documented reason means, for the failure message kept on an attempt or a payout.
REASONS = {
    "PAYER_NOT_FOUND": "the payer's number has no MTN MoMo account",
    "PAYEE_NOT_FOUND": "the payee's number has no MTN MoMo account",
    "NOT_ENOUGH_FUNDS": "not enough money on the account",
    "PAYER_LIMIT_REACHED": "the payer's limit is reached",
    "PAYEE_NOT_ALLOWED_TO_RECEIVE": "the payee may not receive this amount",
    "PAYMENT_NOT_APPROVED": "the payer did not approve",
    "APPROVAL_REJECTED": "the payer refused",
    "EXPIRED": "the payer did not approve in time",
    "TRANSACTION_CANCELED": "canceled",
    "COULD_NOT_PERFORM_TRANSACTION": "MTN could not perform it (not approved in time)",
    "INTERNAL_PROCESSING_ERROR": "MTN's generic refusal (often not enough money)",
    "NOT_ALLOWED": "this MTN account may not do it",
    "NOT_ALLOWED_TARGET_ENVIRONMENT": "wrong X-Target-Environment",
    "INVALID_CALLBACK_URL_HOST": "the callback host is not the one registered with MTN",
    "INVALID_CURRENCY": "MTN does not take this currency here",
    "SERVICE_UNAVAILABLE": "MTN is unavailable",
}

_tokens: dict[tuple[str, str, str], tuple[str, float]] = {}
_lock = threading.Lock()
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_TEXT_UNSAFE = re.compile(r"[^\w .,:/()-]+")


@dataclass(frozen=True)
class MtnCredentials:
    base_url: str
    api_user: str
    api_key: str
    subscription_key: str  # the Disbursement product's key (the account-holder lookup's)
    target_environment: str
    collection_key: str = ""
    disbursement_key: str = ""  # "" → subscription_key
    callback_url: str = ""
    currency: str = ""
    collection_api_user: str = ""  # "" → api_user (MTN may give one API user per product)
    collection_api_key: str = ""

    def key(self, product: str) -> str:
        if product == COLLECTION:
            return self.collection_key
        return self.disbursement_key or self.subscription_key

    def auth(self, product: str) -> tuple[str, str]:
        if product == COLLECTION and self.collection_api_user:
            return self.collection_api_user, self.collection_api_key
        return self.api_user, self.api_key


def callback_url() -> str:
    """Where MTN sends its callbacks: MTN_MOMO_CALLBACK_URL, else the webhook URL under
    PAYMENT_PUBLIC_BASE_URL, else "" (no callback: the status is polled)."""
    if settings.MTN_MOMO_CALLBACK_URL:
        return settings.MTN_MOMO_CALLBACK_URL
    base = (settings.PAYMENT_PUBLIC_BASE_URL or "").rstrip("/")
    return f"{base}{WEBHOOK_PATH}" if base else ""


def _from_settings() -> MtnCredentials:
    return MtnCredentials(
        base_url=(settings.MTN_MOMO_BASE_URL or SANDBOX_URL).rstrip("/"),
        api_user=settings.MTN_MOMO_API_USER,
        api_key=settings.MTN_MOMO_API_KEY,
        subscription_key=settings.MTN_MOMO_SUBSCRIPTION_KEY,
        target_environment=settings.MTN_MOMO_TARGET_ENVIRONMENT,
        collection_key=settings.MTN_MOMO_COLLECTION_SUBSCRIPTION_KEY,
        disbursement_key=settings.MTN_MOMO_DISBURSEMENT_SUBSCRIPTION_KEY,
        callback_url=callback_url(),
        currency=settings.MTN_MOMO_CURRENCY,
        collection_api_user=settings.MTN_MOMO_COLLECTION_API_USER,
        collection_api_key=settings.MTN_MOMO_COLLECTION_API_KEY,
    )


def configured(product: str = DISBURSEMENT) -> bool:
    """MTN's keys for `product` are set (the lookup and payouts: Disbursement; pushes:
    Collection)."""
    mtn = _from_settings()
    user, key = mtn.auth(product)
    return bool(user and key and mtn.key(product))


def clear_tokens() -> None:
    with _lock:
        _tokens.clear()


def reference_id(kind: str, reference: str) -> str:
    """Our X-Reference-Id for `reference` (an attempt token, a payout's reference): always the
    same UUID for the same reference, shaped as version 4 (MTN refuses other versions)."""
    digest = hashlib.sha256(f"hokwe:mtn_momo:{kind}:{reference}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def msisdn(phone: str) -> str:
    return "".join(ch for ch in phone or "" if ch.isdigit())


def to_major(amount: int, currency: str) -> str:
    exponent = EXPONENTS.get(currency, 0)
    if not exponent:
        return str(amount)
    return str((Decimal(amount) / (Decimal(10) ** exponent)).quantize(Decimal(1) / (Decimal(10) ** exponent)))


def to_minor(value, currency: str | None) -> int | None:
    """MTN's amount ("5000", "12.50") in minor units; None when it is not a whole number of
    minor units (never rounded)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value)) * (Decimal(10) ** EXPONENTS.get(currency or "", 0))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number != number.to_integral_value():
        return None
    return int(number)


def _text(value: str, default: str) -> str:
    """A payer message or payee note MTN takes: at most 160 characters, no apostrophes or
    other characters its gateway refuses."""
    cleaned = " ".join(_TEXT_UNSAFE.sub(" ", value or "").split())
    return (cleaned or default)[:160]


def _reason(data: dict) -> str:
    reason = data.get("reason")
    if isinstance(reason, dict):  # older deployments: {"code", "message"}
        reason = reason.get("code") or reason.get("message")
    return str(reason or "")


def _error(response, what: str) -> ProviderRejected:
    body = http._body(response)
    code = str(body.get("code") or body.get("error") or "") if isinstance(body, dict) else ""
    message = str(body.get("message") or "") if isinstance(body, dict) else ""
    exc = ProviderRejected(
        f"{code or f'HTTP {response.status_code}'}: {message or REASONS.get(code, what)}"[:300],
        status=response.status_code,
        body=body,
    )
    exc.reason = code
    return exc


class _ConfiguredCurrencies:
    """`MtnMomoProvider.currencies`: the one configured currency (read at each use, so the
    settings of a test or a deploy apply)."""

    def __get__(self, instance, owner) -> frozenset[str]:
        return frozenset({settings.MTN_MOMO_CURRENCY})


class MtnMomoProvider(BaseProvider):
    name = "mtn_momo"
    label = "MTN MoMo"
    capabilities = frozenset(
        {
            Capability.COLLECT,
            Capability.PUSH,
            Capability.WEBHOOK,
            Capability.PAYOUT,
            Capability.ACCOUNT_LOOKUP,
        }
    )
    methods = frozenset({"mobile_money"})
    currencies = _ConfiguredCurrencies()

    def __init__(self, credentials: MtnCredentials | Credentials | None = None):
        if isinstance(credentials, MtnCredentials):
            super().__init__()
            self.mtn = credentials
            return
        super().__init__(credentials)
        mtn = _from_settings()
        if credentials is not None and credentials.config_id:
            # A ProviderConfig row: its public key is the API user, its secret key the API
            # key; the subscription keys and the environment are the platform's settings.
            mtn = MtnCredentials(
                **{
                    **mtn.__dict__,
                    "base_url": (credentials.base_url or mtn.base_url).rstrip("/"),
                    "api_user": credentials.public_key,
                    "api_key": credentials.secret_key,
                    "collection_api_user": "",
                    "collection_api_key": "",
                }
            )
        self.mtn = mtn

    # --- the HTTP layer --------------------------------------------------------------------

    def _http(self, product: str):
        return http.client(
            "mtn_momo",
            self.mtn.base_url,
            {"Accept": "application/json", "Ocp-Apim-Subscription-Key": self.mtn.key(product)},
        )

    def _token(self, client, product: str, *, fresh: bool = False) -> str:
        user, key = self.mtn.auth(product)
        cache_key = (self.mtn.base_url, user, product)
        now = time.monotonic()
        with _lock:
            cached = _tokens.get(cache_key)
        if cached and not fresh and cached[1] > now:
            return cached[0]
        basic = base64.b64encode(f"{user}:{key}".encode()).decode()
        response = http.request(
            client,
            "POST",
            f"/{product}/token/",
            headers={"Authorization": f"Basic {basic}"},
            content=b"",
            ok_statuses=tuple(range(400, 500)),
        )
        if response.status_code >= 400:
            raise _error(response, "MTN refused the API user and key")
        data = http.json_of(response)
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise ProviderRejected("MTN MoMo: no access_token in the answer", body=data)
        expires_in = data.get("expires_in")
        lifetime = expires_in if isinstance(expires_in, int) and not isinstance(expires_in, bool) else 3600
        with _lock:
            _tokens[cache_key] = (token, now + max(lifetime - 60, 0))
        return token

    def _call(self, product: str, method: str, path: str, *, json=None, headers=None, retry=False):
        """One call with the product's token; a 401 asks for a new token and tries once more.
        Returns the response for any status below 500 but 401 (the caller reads 4xx)."""
        with self._http(product) as client:
            for attempt in range(2):
                token = self._token(client, product, fresh=attempt > 0)
                response = http.request(
                    client,
                    method,
                    path,
                    json=json,
                    headers={
                        "Authorization": f"Bearer {token}",
                        "X-Target-Environment": self.mtn.target_environment,
                        **(headers or {}),
                    },
                    ok_statuses=tuple(range(400, 500)),
                    retry=retry,
                )
                if response.status_code == 401 and attempt == 0:
                    continue  # the token expired on MTN's side: ask for a new one, once
                if response.status_code == 401:
                    raise _error(response, "unauthorized")
                return response
        raise AssertionError("unreachable")

    def _check_currency(self, currency: str) -> None:
        if not self.mtn.currency or currency != self.mtn.currency:
            raise ProviderRejected(
                f"INVALID_CURRENCY: MTN MoMo is configured for {self.mtn.currency or 'no currency'}, "
                f"not {currency}"
            )

    def _send(self, product: str, path: str, reference: str, body: dict) -> str:
        """POST a requesttopay or a transfer under `reference`; "sent" (202) or "exists" (409
        RESOURCE_ALREADY_EXIST: MTN has it already — the caller reads its status)."""
        headers = {"X-Reference-Id": reference, "Content-Type": "application/json"}
        if self.mtn.callback_url:
            headers["X-Callback-Url"] = self.mtn.callback_url
        response = self._call(product, "POST", path, json=body, headers=headers)
        if response.status_code in (200, 201, 202):
            return "sent"
        if response.status_code == 409:
            return "exists"
        raise _error(response, "MTN refused the request")

    def _status(self, product: str, path: str) -> dict | None:
        response = self._call(product, "GET", path, retry=True)
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            raise _error(response, "MTN refused the status call")
        return http.json_of(response)

    # --- collection ------------------------------------------------------------------------

    def push(self, request: CheckoutRequest, *, phone: str, operator: str = "") -> Checkout:
        """Ask the payer's phone to approve the debit (requesttopay). Sent again (a retry),
        MTN answers 409 for the same reference id and nothing is debited twice."""
        self._check_currency(request.currency)
        number = msisdn(phone or request.payer_phone)
        if not number:
            raise ProviderRejected("PAYER_NOT_FOUND: MTN MoMo needs the payer's phone number")
        reference = self.attempt_reference(request.attempt_token)
        body = {
            "amount": to_major(request.amount, request.currency),
            "currency": request.currency,
            "externalId": request.attempt_token,
            "payer": {"partyIdType": "MSISDN", "partyId": number},
            "payerMessage": _text(request.description, "Hokwe"),
            "payeeNote": _text(request.attempt_token, "Hokwe"),
        }
        if self._send(COLLECTION, "/collection/v1_0/requesttopay", reference, body) == "exists":
            info = self.verify(reference)
            if info.status == TxStatus.NOT_FOUND or (
                info.partner_reference and info.partner_reference != request.attempt_token
            ):
                raise ProviderRejected("RESOURCE_ALREADY_EXIST: the reference id is used by another request")
        return Checkout(kind="push", provider_reference=reference)

    def attempt_reference(self, token: str) -> str:
        """The reference id a push of the attempt `token` was (or would be) sent under: the
        sweeper of provider calls asks it when the push's answer was lost (MTN cannot list)."""
        return reference_id(COLLECTION, token)

    def start_checkout(self, request: CheckoutRequest) -> Checkout:
        """A checkout with MTN is a push to the payer's phone (there is no MTN page)."""
        return self.push(request, phone=request.payer_phone)

    def verify(self, reference: str) -> TransactionInfo:
        if not _UUID_RE.match(reference or ""):
            return TransactionInfo(reference=reference, status=TxStatus.NOT_FOUND)
        data = self._status(COLLECTION, f"/collection/v1_0/requesttopay/{reference}")
        if data is None:
            return TransactionInfo(reference=reference, status=TxStatus.NOT_FOUND)
        return self._info(data, reference)

    def _info(self, data: dict, reference: str) -> TransactionInfo:
        currency = data.get("currency") if isinstance(data.get("currency"), str) else None
        status = STATUS_MAP.get(str(data.get("status") or "").upper(), TxStatus.PENDING)
        reason = _reason(data)
        amount = to_minor(data.get("amount"), currency)
        if status == TxStatus.SUCCEEDED and (amount is None or not currency):
            # Never credit an amount we cannot read: left pending for reconciliation and staff.
            status, reason = TxStatus.PENDING, "UNREADABLE_AMOUNT"
        return TransactionInfo(
            reference=reference,
            status=status,
            amount=amount,
            currency=currency,
            source="MOBILE_MONEY",
            source_name="mtn_momo",
            partner_reference=str(data.get("externalId") or "")[:64],
            reason=f"{reason}: {REASONS[reason]}" if reason in REASONS else reason,
            raw=data,
        )

    # --- disbursement ----------------------------------------------------------------------

    def payout(
        self, *, reference: str, amount: int, currency: str, destination: PayoutDestination
    ) -> PayoutResult:
        """Transfer to an MTN MoMo number under our `reference`. Sent again (a retry), MTN
        answers 409 and the first transfer's status is returned: never sent twice."""
        self._check_currency(currency)
        if destination.kind != "mobile_money" or (
            destination.operator and not destination.operator.lower().startswith("mtn")
        ):
            raise ProviderRejected("PAYEE_NOT_FOUND: MTN MoMo pays MTN mobile money numbers only")
        number = msisdn(destination.phone)
        if not number:
            raise ProviderRejected("PAYEE_NOT_FOUND: no number to pay")
        transfer = reference_id(DISBURSEMENT, reference)
        body = {
            "amount": to_major(amount, currency),
            "currency": currency,
            "externalId": reference[:64],
            "payee": {"partyIdType": "MSISDN", "partyId": number},
            "payerMessage": _text(f"Hokwe {reference[:8]}", "Hokwe"),
            "payeeNote": _text(destination.holder_name, "Hokwe"),
        }
        if self._send(DISBURSEMENT, "/disbursement/v1_0/transfer", transfer, body) == "exists":
            known = self._transfer(transfer)
            if known is not None:
                return known
        return PayoutResult(reference=transfer, status="processing")

    def _transfer(self, transfer: str) -> PayoutResult | None:
        data = self._status(DISBURSEMENT, f"/disbursement/v1_0/transfer/{transfer}")
        if data is None:
            return None
        info = self._info(data, transfer)
        return PayoutResult(
            reference=transfer, status=PAYOUT_MAP.get(info.status, "processing"), reason=info.reason
        )

    def payout_status(self, reference: str) -> PayoutResult:
        """`reference`: MTN's reference id (what `payout` returned). A 404 on a transfer MTN
        accepted is read as still processing: never failed (the hold stays) on an absence."""
        found = self._transfer(reference) if _UUID_RE.match(reference or "") else None
        return found or PayoutResult(reference=reference, status="processing", reason="RESOURCE_NOT_FOUND")

    def find_payout(self, reference: str) -> PayoutResult | None:
        """The transfer sent under our `reference`, or None when MTN never received it (404):
        then the payout may be sent again, under the same reference id."""
        return self._transfer(reference_id(DISBURSEMENT, reference))

    # --- account holders -------------------------------------------------------------------

    def account_holder(self, phone: str) -> AccountHolder | None:
        number = msisdn(phone)
        if not number:
            raise ProviderRejected("MTN MoMo: no number to look up")
        response = self._call(
            DISBURSEMENT,
            "GET",
            f"/disbursement/v1_0/accountholder/msisdn/{number}/basicuserinfo",
            retry=True,
        )
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            raise _error(response, "MTN refused the lookup")
        data = http.json_of(response)
        return AccountHolder(
            given_name=str(data.get("given_name") or "").strip(),
            family_name=str(data.get("family_name") or "").strip(),
            name=str(data.get("name") or "").strip(),
            status=str(data.get("status") or ""),
            source=self.name,
        )

    def account_active(self, phone: str, *, product: str = DISBURSEMENT) -> bool:
        """Whether `phone` has an active MTN MoMo account (`…/accountholder/msisdn/{n}/active`)."""
        number = msisdn(phone)
        if not number:
            return False
        response = self._call(
            product, "GET", f"/{product}/v1_0/accountholder/msisdn/{number}/active", retry=True
        )
        if response.status_code == 404:
            return False
        if response.status_code >= 400:
            raise _error(response, "MTN refused the check")
        result = http.json_of(response).get("result")  # true; some deployments: "true" or "1"
        return result is True or str(result).lower() in ("true", "1")

    # --- callbacks -------------------------------------------------------------------------

    def verify_webhook(self, *, headers, body: bytes) -> None:
        """MTN does not sign its callbacks: there is nothing to verify, so nothing in them is
        believed. parse_webhook only finds which transaction to ask about; the status call
        (services/webhooks.py: `verify`, `payout_status`) decides."""

    def parse_webhook(self, body: bytes) -> WebhookMessage:
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise WebhookRejected("body is not JSON") from exc
        if not isinstance(payload, dict):
            raise WebhookRejected("unexpected body")
        payout = isinstance(payload.get("payee"), dict) and not isinstance(payload.get("payer"), dict)
        kind = DISBURSEMENT if payout else COLLECTION
        given = str(payload.get("referenceId") or payload.get("X-Reference-Id") or "")
        external = str(payload.get("externalId") or "")
        if _UUID_RE.match(given):
            reference = given.lower()
        elif external:
            reference = reference_id(kind, external)
        else:
            raise WebhookRejected("the callback names no transaction")
        # Every distinct body is its own event (the same body replayed is stored once): a
        # forged callback cannot take the place of MTN's real one, and each is only a prompt
        # to ask MTN.
        digest = hashlib.sha256(body).hexdigest()[:24]
        status = re.sub(r"[^A-Z_]", "", str(payload.get("status") or "").upper())[:20]
        return WebhookMessage(
            event_id=f"{kind}:{reference}:{digest}",
            event_type=f"{'transfer' if payout else 'requesttopay'}.{status or 'callback'}"[:60],
            reference=reference,
            kind="payout" if payout else "transaction",
            partner_reference="",  # never the body's word: the status call's externalId binds
        )
