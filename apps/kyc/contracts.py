"""PUBLIC: what crosses the kyc boundary (stdlib only).

Other modules receive these frozen dataclasses and enums from apps.kyc.api. A module that
knows a user's wallet usage (balance, inflow this month, outflow today) registers a
`UsageSource` with `api.set_usage_source(...)` from its AppConfig.ready, so that `check`
can enforce the monthly and daily limits without kyc importing it (kyc sits below).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Protocol


class Tier(IntEnum):
    """0: phone verified (every account); 1: ID document verified; 2: ID, selfie (liveness)
    and proof of address verified."""

    PHONE = 0
    IDENTITY = 1
    FULL = 2


class Operation(StrEnum):
    """What the caller is about to do with `amount`."""

    # single-transaction limit only. Payments does not ask it for a payment from an outside
    # instrument (mobile money, card, bank, cash): those get payments' own PAYMENT_MAX_AMOUNT.
    PAYMENT = "payment"
    WALLET_PAYMENT = "wallet_payment"  # paying from the Hokwe wallet: outflow
    WALLET_TOPUP = "wallet_topup"  # money into the wallet: inflow and maximum balance
    TRANSFER_IN = "transfer_in"  # a transfer received into the wallet: inflow and maximum balance
    TRANSFER_OUT = "transfer_out"  # a transfer sent from the wallet: outflow
    WITHDRAWAL = "withdrawal"  # cash-out from the wallet: outflow
    PAYOUT = "payout"  # money out to an organization (needs KYB) or to a user (outflow)


INFLOW_OPERATIONS = frozenset({Operation.WALLET_TOPUP, Operation.TRANSFER_IN})
OUTFLOW_OPERATIONS = frozenset(
    {Operation.WALLET_PAYMENT, Operation.TRANSFER_OUT, Operation.WITHDRAWAL, Operation.PAYOUT}
)


class LimitName(StrEnum):
    MAX_BALANCE = "max_balance"
    MONTHLY_INFLOW = "monthly_inflow"
    SINGLE_TRANSACTION = "single_transaction"
    DAILY_OUTFLOW = "daily_outflow"


class SubmissionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"  # the ID document's expiry date has passed
    CANCELLED = "cancelled"  # the account was closed before a decision


class DocumentKind(StrEnum):
    ID_CARD = "id_card"
    PASSPORT = "passport"
    DRIVING_LICENCE = "driving_licence"
    SELFIE = "selfie"
    PROOF_OF_ADDRESS = "proof_of_address"
    RCCM = "rccm"  # Registre du commerce et du crédit mobilier (business registration)
    IFU = "ifu"  # Identifiant fiscal unique (tax number certificate)


ID_DOCUMENT_KINDS = frozenset({DocumentKind.ID_CARD, DocumentKind.PASSPORT, DocumentKind.DRIVING_LICENCE})


@dataclass(frozen=True)
class Limits:
    """The limits of one verification level, in minor units of `currency`."""

    tier: int
    country: str
    currency: str
    max_balance: int
    monthly_inflow: int
    single_transaction: int
    daily_outflow: int
    source: str  # "database" (edited by compliance staff) or "settings" (KYC_LIMITS)

    def value(self, name: LimitName | str) -> int:
        return getattr(self, str(name))


@dataclass(frozen=True)
class Usage:
    """What a user already used, in the limits' currency."""

    balance: int = 0
    inflow_this_month: int = 0
    outflow_today: int = 0


class UsageSource(Protocol):
    """Implemented by the module that holds wallets (wallet / ledger callers)."""

    def usage(self, *, user_public_id: str, currency: str) -> Usage: ...


@dataclass(frozen=True)
class KycStatus:
    user_public_id: str
    tier: int
    country: str
    submission_status: str  # of the latest submission, "" when none
    rejection_reason: str  # a RejectionReason code, "" unless rejected


@dataclass(frozen=True)
class OrganizationVerification:
    organization_public_id: str
    status: str  # a SubmissionStatus value, "" when never submitted
    verified: bool
    decided_at: datetime | None


# --- transaction monitoring (AML) ----------------------------------------------------------------


class ObservedKind(StrEnum):
    """What moved: money collected from a payer, paid out to an organization, refunded."""

    COLLECT = "collect"
    PAYOUT = "payout"
    REFUND = "refund"


@dataclass(frozen=True)
class ObservedTransaction:
    """A transaction handed to monitoring (`api.observe_transaction`) after it happened.

    `source_key` is unique per transaction (e.g. "payments.intent:<id>"): observing the same
    key twice records nothing the second time. Amounts are int minor units of `currency`."""

    source_key: str
    kind: str  # an ObservedKind value
    amount: int
    currency: str
    occurred_at: datetime
    organization_public_id: str  # the receiving (collect) or paying-out organization
    account: str = ""  # the ledger account credited (collect) / the payout account (payout)
    payer_phone: str = ""  # "" when unknown (cash without a phone)
    payer_public_id: str | None = None  # the payer's user public id, when they have an account
    provider: str = ""
    provider_reference: str = ""


@dataclass(frozen=True)
class Observation:
    """What intake did: `recorded` is False for a source key already seen (a replay);
    `alert_ids` are the public ids of the alerts opened or updated by this transaction."""

    recorded: bool
    alert_ids: tuple[str, ...] = ()
