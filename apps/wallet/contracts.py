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
