"""Events the wallet publishes (apps.core.outbox). Each part appends its own."""

# --- Cotis'Hokwe (tontine, W4): for scoring (a member's regularity) and notices ---------------
from dataclasses import dataclass as _tontine_dataclass

from apps.core.events import DomainEvent as _TontineEvent


@_tontine_dataclass(frozen=True)
class ContributionPaid(_TontineEvent):
    """A member's contribution to a round is in the pot (wallet, automatic debit, pay link,
    cash, guarantee applied or withheld from their own pot). `late`: after the due date."""

    name = "wallet.ContributionPaid"

    group_id: str
    round_id: str
    round_number: int
    member_id: str  # the member's seat (TontineMember public id)
    user_id: str | None  # the member's user public id
    amount: int
    penalty: int
    currency: str
    method: str
    due_date: str  # ISO date
    paid_on: str  # ISO date
    late: bool
    ledger_transfer: str | None


@_tontine_dataclass(frozen=True)
class ContributionLate(_TontineEvent):
    """A contribution was not paid on its due date: the group's penalty now applies."""

    name = "wallet.ContributionLate"

    group_id: str
    round_id: str
    round_number: int
    member_id: str
    user_id: str | None
    amount: int
    penalty: int
    currency: str
    due_date: str


@_tontine_dataclass(frozen=True)
class PotPaid(_TontineEvent):
    """A round's pot went to its beneficiary (wallet, or their landlord's rent due)."""

    name = "wallet.PotPaid"

    group_id: str
    round_id: str
    round_number: int
    member_id: str
    user_id: str | None
    amount: int  # to the beneficiary (wallet and rent together)
    commission: int
    discount: int
    penalties: int
    currency: str
    paid_to: str  # "wallet" | "rent"
    rent_due: str | None
    ledger_transfer: str | None


@_tontine_dataclass(frozen=True)
class MemberDefaulted(_TontineEvent):
    """A round closed without a member's contribution: their guarantee was applied
    (`guarantee_applied` > 0) or, before their turn, it is withheld from their own pot."""

    name = "wallet.MemberDefaulted"

    group_id: str
    round_id: str
    round_number: int
    member_id: str
    user_id: str | None
    amount: int
    guarantee_applied: int
    currency: str


# --- HokweSplit ---
from dataclasses import dataclass  # noqa: E402

from apps.core.events import DomainEvent  # noqa: E402


@dataclass(frozen=True)
class SavingStreak(DomainEvent):
    """A HokweSplit saver paid `streak` instalments on time in a row (published each time the
    run reaches a multiple of WALLET_SPLIT_STREAK_LENGTH): scoring counts it."""

    name = "wallet.SavingStreak"

    plan_id: str
    user_id: str
    lease_id: str
    due_id: str
    streak: int
    amount: int  # the instalment that made the streak (minor units)
    target: int  # the plan's target
    currency: str
    on: str  # the instalment's date (ISO)


# --- P2P transfers ---


@dataclass(frozen=True)
class P2pTransferSent(DomainEvent):
    """A P2P transfer was confirmed: the money is in the receiver's wallet (`held` False) or
    waits in `wallet.p2p_held` for the number to sign up (`held` True). Its handler tells the
    receiver (or invites the number), out of the sender's request."""

    name = "wallet.P2pTransferSent"

    transfer_id: str  # P2pTransfer public id
    sender_id: str  # user public ids
    receiver_id: str | None
    amount: int
    currency: str
    held: bool
