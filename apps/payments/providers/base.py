"""The provider protocol: what payments needs from an outside payment system.

Capabilities are separate, so a provider implements only what it can do:

    COLLECT   start a checkout (widget, redirect, push) and verify a transaction server-side
    REFUND    give a collected payment back
    PAYOUT    send money to a mobile money number or a bank account (Kkiapay: not by API)
    WEBHOOK   verify (signature / shared secret, constant time) and parse its callbacks
    LIST      list its transactions for a period (reconciliation pulls); without it,
              reconciliation verifies each known transaction one by one
    PUSH      ask the payer's phone to approve a mobile money debit (merchant point of sale)
    ACCOUNT_LOOKUP  the name of a mobile money account's holder (MTN MoMo's basicuserinfo;
              the sandbox): a payout account in a landlord's own name is checked with it

A provider that can refund has `partial_refunds` False when it only gives whole payments
back (Kkiapay reverts a transaction); `can_refund(full=)` says whether a refund can be done
by the provider at all — when it cannot, payments turns it into a payout to the payer.

Providers never touch the ledger or our tables (the sandbox keeps its own book, as a real
provider would). Network failures raise ProviderUnavailable (retried with backoff by the
tasks); a provider's refusal raises ProviderRejected.

Calls that move money can be repeated safely: `refund(..., key=)` refunds once per key
(a second call with the same key returns the first refund), and `find_payout(reference)`
finds a payout sent under our reference, so a call cut by a timeout or a crash is asked
again (docs/payments.md, "Calling a provider") instead of being sent twice. Services call
providers with no database transaction open (providers/http.py refuses otherwise).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable


class Capability(StrEnum):
    COLLECT = "collect"
    REFUND = "refund"
    PAYOUT = "payout"
    WEBHOOK = "webhook"
    LIST = "list_transactions"
    PUSH = "push"
    ACCOUNT_LOOKUP = "account_lookup"


class TxStatus(StrEnum):
    SUCCEEDED = "succeeded"
    PENDING = "pending"
    FAILED = "failed"
    REVERTED = "reverted"  # refunded at the provider
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Credentials:
    public_key: str = ""
    private_key: str = ""
    secret_key: str = ""
    webhook_secret: str = ""
    live: bool = False
    base_url: str = ""
    config_id: str = ""  # public id of the ProviderConfig row, "" for the environment's keys


@dataclass(frozen=True)
class CheckoutRequest:
    attempt_token: str  # our reference, given to the provider (partnerId, custom metadata)
    amount: int
    currency: str
    description: str
    payer_phone: str = ""
    payer_name: str = ""
    payer_email: str = ""
    return_url: str = ""  # where the provider (or the sandbox page) sends the payer back
    method: str = "mobile_money"


@dataclass(frozen=True)
class Checkout:
    kind: str  # "widget" | "redirect" | "sandbox" | "push"
    url: str = ""
    widget: dict = field(default_factory=dict)
    provider_reference: str = ""  # known at once for some providers (FedaPay, sandbox)


@dataclass(frozen=True)
class TransactionInfo:
    reference: str
    status: TxStatus
    amount: int | None = None
    currency: str | None = None
    fees: int | None = None
    source: str = ""  # MOBILE_MONEY, CARD, …
    source_name: str = ""  # mtn-benin, …
    performed_at: datetime | None = None
    partner_reference: str = ""  # our attempt token, when the provider echoes it
    reason: str = ""
    raw: Mapping = field(default_factory=dict)


@dataclass(frozen=True)
class WebhookMessage:
    event_id: str  # unique per provider: the raw event is stored once under it
    event_type: str
    reference: str  # the provider's transaction (or payout) id
    kind: str = "transaction"  # "transaction" | "payout"
    partner_reference: str = ""


@dataclass(frozen=True)
class RefundResult:
    reference: str
    status: TxStatus


@dataclass(frozen=True)
class PayoutDestination:
    kind: str  # "mobile_money" | "bank_account"
    phone: str = ""
    operator: str = ""
    account_number: str = ""
    bank_name: str = ""
    holder_name: str = ""
    country: str = "BJ"


@dataclass(frozen=True)
class PayoutResult:
    reference: str
    status: str  # "processing" | "paid" | "failed"
    reason: str = ""


@dataclass(frozen=True)
class AccountHolder:
    """Who holds a mobile money account, as its operator knows them."""

    given_name: str = ""
    family_name: str = ""
    name: str = ""  # the full name when the operator gives one
    status: str = ""
    source: str = ""  # the provider that answered ("mtn_momo", "sandbox")
    simulated: bool = False  # the sandbox's answer: a labelled simulation

    @property
    def full_name(self) -> str:
        return self.name or " ".join(p for p in (self.given_name, self.family_name) if p).strip()


class ProviderError(Exception):
    code = "provider_error"

    def __init__(self, message: str = "", *, status: int | None = None, body=None):
        super().__init__(message or self.code)
        self.status = status
        self.body = body


class ProviderUnavailable(ProviderError):
    """Timeout, connection error or 5xx: try again later (with backoff)."""

    code = "provider_unavailable"


class ProviderRejected(ProviderError):
    """The provider refused the request (4xx): retrying the same request will not help."""

    code = "provider_rejected"


class NotSupported(ProviderError):
    code = "not_supported"


class WebhookRejected(Exception):
    """Bad or missing signature / secret, stale timestamp, unparsable body: 401."""


@runtime_checkable
class PaymentProvider(Protocol):
    name: str
    capabilities: frozenset[Capability]
    methods: frozenset[str]
    online: bool  # False for cash, bank transfer and wallet: recorded, not collected

    def start_checkout(self, request: CheckoutRequest) -> Checkout: ...
    def verify(self, reference: str) -> TransactionInfo: ...
    def refund(self, reference: str, *, amount: int, full: bool, key: str = "") -> RefundResult: ...
    def verify_webhook(self, *, headers: Mapping[str, str], body: bytes) -> None: ...
    def parse_webhook(self, body: bytes) -> WebhookMessage: ...
    def list_transactions(self, *, start: datetime, end: datetime) -> Iterable[TransactionInfo]: ...
    def payout(
        self, *, reference: str, amount: int, currency: str, destination: PayoutDestination
    ) -> PayoutResult: ...
    def payout_status(self, reference: str) -> PayoutResult: ...
    def find_payout(self, reference: str) -> PayoutResult | None: ...
    def push(self, request: CheckoutRequest, *, phone: str, operator: str = "") -> Checkout: ...


class BaseProvider:
    """Defaults: every capability not declared raises NotSupported."""

    name = ""
    capabilities: frozenset[Capability] = frozenset()
    methods: frozenset[str] = frozenset()
    online = True
    label = ""
    partial_refunds = True  # False: only the whole payment can be refunded (Kkiapay)

    def __init__(self, credentials: Credentials | None = None):
        self.credentials = credentials or Credentials()

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def can_refund(self, *, full: bool) -> bool:
        """Whether the provider itself can give this refund back (the whole payment, or a
        part of it). False: payments pays the payer back by a payout instead."""
        return self.supports(Capability.REFUND) and (full or self.partial_refunds)

    def account_holder(self, phone: str) -> AccountHolder | None:
        """The holder of the mobile money account `phone` (E.164), None when the operator
        knows no such account."""
        raise NotSupported(f"{self.name}: account lookup")

    def start_checkout(self, request: CheckoutRequest) -> Checkout:
        raise NotSupported(f"{self.name}: collect")

    def verify(self, reference: str) -> TransactionInfo:
        raise NotSupported(f"{self.name}: verify")

    def refund(self, reference: str, *, amount: int, full: bool, key: str = "") -> RefundResult:
        """Refund `amount` of the transaction `reference`, once per `key` (our refund id)."""
        raise NotSupported(f"{self.name}: refund")

    def verify_webhook(self, *, headers: Mapping[str, str], body: bytes) -> None:
        raise WebhookRejected(f"{self.name} sends no webhooks")

    def parse_webhook(self, body: bytes) -> WebhookMessage:
        raise WebhookRejected(f"{self.name} sends no webhooks")

    def list_transactions(self, *, start: datetime, end: datetime) -> Iterable[TransactionInfo]:
        raise NotSupported(f"{self.name}: list transactions")

    def payout(
        self, *, reference: str, amount: int, currency: str, destination: PayoutDestination
    ) -> PayoutResult:
        raise NotSupported(f"{self.name}: payout")

    def payout_status(self, reference: str) -> PayoutResult:
        raise NotSupported(f"{self.name}: payout status")

    def find_payout(self, reference: str) -> PayoutResult | None:
        """The payout sent under our `reference` (the payout's public id), made sure to be
        under way, or None when the provider never received it."""
        raise NotSupported(f"{self.name}: find payout")

    def push(self, request: CheckoutRequest, *, phone: str, operator: str = "") -> Checkout:
        raise NotSupported(f"{self.name}: push")


def constant_time_equal(a: str | bytes, b: str | bytes) -> bool:
    if isinstance(a, str):
        a = a.encode()
    if isinstance(b, str):
        b = b.encode()
    return hmac.compare_digest(a, b)


def header(headers: Mapping[str, str], name: str) -> str:
    """Case-insensitive header lookup over a plain mapping."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return ""
