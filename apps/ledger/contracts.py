"""PUBLIC: the values that cross the ledger's boundary (stdlib only).

Amounts are always `int` minor units with an ISO 4217 currency code, never floats. Accounts
and transfers are named by their public UUIDs; internal ids never leave the ledger.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class AccountKind(StrEnum):
    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    REVENUE = "revenue"
    EXPENSE = "expense"

    @property
    def debit_normal(self) -> bool:
        """Assets and expenses grow with debits; the others grow with credits."""
        return self in (AccountKind.ASSET, AccountKind.EXPENSE)


class OwnerType(StrEnum):
    SYSTEM = "system"
    ORGANIZATION = "organization"
    USER = "user"


class Side(StrEnum):
    DEBIT = "debit"
    CREDIT = "credit"


class TransferKind(StrEnum):
    POSTED = "posted"  # an ordinary journal entry
    PENDING = "pending"  # a hold: reserves funds until posted or voided
    POST_PENDING = "post_pending"  # posts a hold (fully or for less)
    VOID_PENDING = "void_pending"  # releases a hold (voided, or expired)


class HoldState(StrEnum):
    PENDING = "pending"
    POSTED = "posted"
    VOIDED = "voided"


class AccountCode(StrEnum):
    """The chart of accounts (docs/ledger.md). System accounts exist once per currency;
    organization and user accounts are created on first use."""

    PROVIDER_CLEARING = "provider_clearing"  # system, one per payment provider: "provider_clearing.kkiapay"
    FEES_REVENUE = "fees_revenue"  # system
    SUSPENSE = "suspense"  # system
    RENT_RECEIVABLE = "rent_receivable"  # organization: rent its tenants owe (memo)
    RENT_BILLED = "rent_billed"  # organization: counterpart of the receivable (memo)
    OWNERS_PAYABLE = "owners_payable"  # organization: collected rent Hokwe owes it
    WALLET = "wallet"  # user: Hokwe's liability to the wallet holder


@dataclass(frozen=True, slots=True)
class Leg:
    """One posting of a transfer request: `amount` minor units on one side of an account."""

    account: UUID
    side: Side
    amount: int
    currency: str

    @classmethod
    def debit(cls, account: UUID, amount: int, currency: str) -> Leg:
        return cls(account=account, side=Side.DEBIT, amount=amount, currency=currency)

    @classmethod
    def credit(cls, account: UUID, amount: int, currency: str) -> Leg:
        return cls(account=account, side=Side.CREDIT, amount=amount, currency=currency)


@dataclass(frozen=True, slots=True)
class TransferRequest:
    """One balanced transfer for `transfer_many` (same fields as `api.transfer`)."""

    idempotency_key: str
    code: str
    legs: tuple[Leg, ...]
    description: str = ""
    reference: str = ""
    metadata: Mapping = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AccountInfo:
    public_id: UUID
    code: str
    name: str
    currency: str
    kind: AccountKind
    owner_type: OwnerType
    owner_id: UUID | None  # public id of the user or organization; None for system accounts
    debits_must_not_exceed_credits: bool
    credits_must_not_exceed_debits: bool
    closed: bool


@dataclass(frozen=True, slots=True)
class Balance:
    """Totals of one account. `posted` and `available` are signed by the account's normal
    side (a wallet with 5 000 FCFA in it has posted = 5000)."""

    account: UUID
    currency: str
    debits_posted: int
    credits_posted: int
    debits_pending: int
    credits_pending: int
    posted: int
    available: int  # posted minus what pending holds reserve on the account's outgoing side
    as_of: datetime | None = None


@dataclass(frozen=True, slots=True)
class TransferResult:
    public_id: UUID
    idempotency_key: str
    kind: TransferKind
    code: str
    description: str
    reference: str
    metadata: Mapping
    legs: tuple[Leg, ...]
    created_at: datetime
    hold: UUID | None = None  # the hold this transfer posts or voids
    reverses: UUID | None = None  # the transfer this one reverses
    expires_at: datetime | None = None  # holds only
    replayed: bool = False  # True when an earlier identical request already did the work


@dataclass(frozen=True, slots=True)
class BatchResult:
    created: int
    replayed: int


@dataclass(frozen=True, slots=True)
class StatementLine:
    sequence: int  # the n-th posting on the account: stable, gap-free for the account
    transfer: UUID
    code: str
    description: str
    reference: str
    side: Side
    amount: int
    balance_after: int  # posted balance after this line, signed by the normal side
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Statement:
    account: UUID
    currency: str
    opening_balance: int  # before the first line of this page
    lines: tuple[StatementLine, ...]
    next_after: int | None  # pass as `after_sequence` for the next page; None at the end


@dataclass(frozen=True, slots=True)
class BalanceTotal:
    """The summed balances of a set of accounts in one currency (`balance_totals`), signed
    by each account's normal side: e-money outstanding is the `posted` total of the wallet
    liabilities."""

    currency: str
    accounts: int
    posted: int
    available: int  # posted minus what pending holds reserve
    pending_out: int  # what pending holds reserve on the accounts' outgoing side
