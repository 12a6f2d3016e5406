"""PUBLIC: values crossing the payments boundary (stdlib only).

Callers (estate, billing, wallet, lending) receive these frozen dataclasses from
apps.payments.api, never model instances. Amounts are `int` minor units with an ISO 4217
currency; ids are public UUIDs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class IntentStatus(StrEnum):
    CREATED = "created"  # no attempt yet
    PENDING = "pending"  # an attempt is under way at a provider
    SUCCEEDED = "succeeded"  # paid: the money is on the caller's ledger account
    FAILED = "failed"  # the last attempt failed; the payer may try again until expiry
    EXPIRED = "expired"
    CANCELED = "canceled"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


# The state machine (docs/payments.md). Anything else is refused (InvalidTransition).
TRANSITIONS: dict[IntentStatus, frozenset[IntentStatus]] = {
    IntentStatus.CREATED: frozenset({IntentStatus.PENDING, IntentStatus.EXPIRED, IntentStatus.CANCELED}),
    IntentStatus.PENDING: frozenset(
        {
            IntentStatus.PENDING,
            IntentStatus.SUCCEEDED,
            IntentStatus.FAILED,
            IntentStatus.EXPIRED,
            IntentStatus.CANCELED,
        }
    ),
    IntentStatus.FAILED: frozenset({IntentStatus.PENDING, IntentStatus.EXPIRED, IntentStatus.CANCELED}),
    IntentStatus.SUCCEEDED: frozenset({IntentStatus.PARTIALLY_REFUNDED, IntentStatus.REFUNDED}),
    IntentStatus.PARTIALLY_REFUNDED: frozenset({IntentStatus.PARTIALLY_REFUNDED, IntentStatus.REFUNDED}),
    IntentStatus.EXPIRED: frozenset(),
    IntentStatus.CANCELED: frozenset(),
    IntentStatus.REFUNDED: frozenset(),
}
PAID_STATUSES = frozenset({IntentStatus.SUCCEEDED, IntentStatus.PARTIALLY_REFUNDED, IntentStatus.REFUNDED})
OPEN_STATUSES = frozenset({IntentStatus.CREATED, IntentStatus.PENDING, IntentStatus.FAILED})


class Method(StrEnum):
    """How the payer pays. A provider serves one or more methods (routing picks which)."""

    MOBILE_MONEY = "mobile_money"
    CARD = "card"
    WALLET = "wallet"  # the payer's Hokwe wallet (ledger)
    CASH = "cash"  # handed to an agent, who records it
    BANK_TRANSFER = "bank_transfer"  # recorded by Hokwe staff


class AttemptStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    MISMATCH = "mismatch"  # paid at the provider with another amount: held in suspense
    LATE = "late"  # paid at the provider after expiry, or twice: held in suspense for refund


class PayoutStatus(StrEnum):
    REQUESTED = "requested"  # funds held on the ledger
    PROCESSING = "processing"  # sent to the payout provider
    PAID = "paid"  # provider confirmed: hold posted
    FAILED = "failed"  # provider refused: hold voided
    CANCELED = "canceled"


@dataclass(frozen=True)
class FeeRule:
    """Hokwe's fee on a payment, taken from the amount credited to the caller's account:
    basis points (150 = 1.5 %) plus a fixed part, capped at the amount."""

    basis_points: int = 0
    fixed: int = 0


@dataclass(frozen=True)
class PurposeRef:
    """What is paid, named by the caller: `PurposeRef("estate.RentDue", str(due.public_id))`."""

    type: str
    id: str


@dataclass(frozen=True)
class IntentInfo:
    public_id: UUID
    status: IntentStatus
    amount: int
    currency: str
    fee_amount: int
    amount_refunded: int
    organization: UUID  # the payee organization
    payer: UUID | None
    payer_phone: str
    payer_name: str
    purpose: PurposeRef
    description: str
    credit_account: UUID  # ledger account credited on success (amount minus fee)
    metadata: dict
    expires_at: datetime
    created_at: datetime
    succeeded_at: datetime | None
    provider: str  # of the successful attempt
    method: str
    receipt_number: str
    pay_url: str  # the public pay link (/pay/<token>)
    receipt_url: str  # /r/<code> once paid, else ""


@dataclass(frozen=True)
class CheckoutInfo:
    """What a client needs to let the payer pay: open `url`, or the provider widget with
    `widget` options (Kkiapay's openKkiapayWidget), or nothing more (cash, wallet)."""

    attempt: UUID
    provider: str
    method: str
    kind: str  # "redirect" | "widget" | "sandbox" | "push" | "done"
    url: str = ""
    widget: dict = field(default_factory=dict)
    status: str = "pending"


@dataclass(frozen=True)
class RefundInfo:
    public_id: UUID
    intent: UUID
    amount: int
    currency: str
    status: str
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class PayoutInfo:
    public_id: UUID
    organization: UUID
    amount: int
    currency: str
    status: PayoutStatus
    destination: str  # masked
    provider: str
    scheduled: bool
    failure_reason: str
    created_at: datetime
    paid_at: datetime | None


@dataclass(frozen=True)
class SuspenseDecisionInfo:
    """Finance staff's decision on money in suspense (api.suspense_apply / suspense_refund):
    status awaiting_approval (four eyes) | sending | awaiting_payout | done | rejected | failed."""

    public_id: UUID
    item: UUID
    action: str  # "apply" | "refund"
    status: str
    amount: int
    currency: str
    intent: UUID | None
    requested_by: UUID
    approved_by: UUID | None
    created_at: datetime
