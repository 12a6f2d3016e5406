"""The wallet's public data shapes (frozen dataclasses and enums other modules may read)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID


class WalletStatus(StrEnum):
    ACTIVE = "active"
    FROZEN = "frozen"
    CLOSED = "closed"


@dataclass(frozen=True)
class WalletInfo:
    public_id: UUID
    user: UUID
    currency: str
    account: UUID  # the ledger account (ledger.user_wallet)
    status: WalletStatus
    balance: int
    available: int
    dormant_since: datetime | None


# Value lists for the OpenAPI enum names (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]):
# a HokweSplit plan and a Cotis'Hokwe group both have a `frequency`, with other choices.
SPLIT_FREQUENCIES = ("daily", "weekly")
TONTINE_FREQUENCIES = ("weekly", "monthly")


@dataclass(frozen=True)
class TontineTurn:
    """A member's place in one of their Cotis'Hokwe groups (the assistant's « my turn »):
    the round whose pot is theirs (None while the order is not drawn or bid yet) and their
    next contribution."""

    group: UUID
    group_name: str
    currency: str
    contribution: int
    pot: int  # the contribution times the active members
    turn_round: int | None
    turn_date: date | None
    turn_paid: bool
    next_contribution_date: date | None


# --- P2P transfers (services/p2p.py; the assistant prepares one through api.p2p_preview) ---


@dataclass(frozen=True)
class P2pPreview:
    preview_id: UUID
    token: str  # signed; confirm with it before `expires_at`
    receiver_phone: str  # E.164
    receiver_name: str  # masked (« Ko*** A. »); "" when the number has no account
    receiver_has_account: bool
    amount: int
    fee: int
    total: int  # what leaves the sender's wallet
    currency: str
    note: str
    step_up_required: bool
    step_up_action: str  # identity's step-up of this exact transfer: action, target, amount
    step_up_target: str
    expires_at: datetime
    claim_days: int  # a number with no account: days to sign up before the money goes back


@dataclass(frozen=True)
class P2pTransferView:
    """A transfer as `viewer` sees it in their history: the other side's name masked (the
    sender sees the receiver as in the preview; the receiver sees the sender masked too, with
    the number's last digits)."""

    public_id: UUID
    direction: str  # "sent" | "received"
    status: str
    amount: int
    fee: int
    currency: str
    note: str
    counterpart_name: str
    counterpart_phone: str
    can_cancel: bool
    created_at: datetime
    claim_until: datetime | None
    settled_at: datetime | None
