"""PUBLIC: lending's data shapes (frozen dataclasses and enums other modules may read).
Each part appends its own block; the shapes here are shared by every part: never change
them, add new ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class BorrowerKind(StrEnum):
    TENANT = "tenant"
    LANDLORD = "landlord"  # an owner organization (its rents under management back the loan)


class Destination(StrEnum):
    """Where the principal goes at disbursement."""

    WALLET = "wallet"  # the borrower's HokweWallet (the emergency loan)
    RENT_DUE = "rent_due"  # straight to the landlord, on the tenant's rent due (« Avance loyer »)
    PAYOUT = "payout"  # to the owner's balance at Hokwe, paid out (« Avance sur loyers »)


class InterestMethod(StrEnum):
    FLAT = "flat"  # on the initial principal for the whole term
    DECLINING = "declining"  # on the principal still owed, each period


class Amortization(StrEnum):
    EQUAL_INSTALMENTS = "equal_instalments"  # annuity: the same total each period
    EQUAL_PRINCIPAL = "equal_principal"  # the same principal each period, interest decreasing


class Frequency(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class LoanStatus(StrEnum):
    REVIEW = "review"  # grey band: waiting for credit staff
    APPROVED = "approved"  # an offer: waiting for the borrower's acceptance (OTP)
    DECLINED = "declined"
    EXPIRED = "expired"  # the offer was not accepted in time
    WITHDRAWN = "withdrawn"  # the applicant gave up before disbursement
    ACCEPTED = "accepted"  # accepted by OTP: the disbursement is under way
    ACTIVE = "active"  # disbursed, being repaid
    CLOSED = "closed"  # repaid in full
    WRITTEN_OFF = "written_off"


# A borrower has at most one of these per product when the product says so (a constraint).
OPEN_STATUSES = (LoanStatus.REVIEW, LoanStatus.APPROVED, LoanStatus.ACCEPTED, LoanStatus.ACTIVE)


class Bucket(StrEnum):
    """Delinquency buckets by days past due of the oldest unpaid instalment."""

    CURRENT = "current"
    B1_30 = "1-30"
    B31_60 = "31-60"
    B61_90 = "61-90"
    B90_PLUS = "90+"


class Component(StrEnum):
    """What a repayment pays, in the allocation order the product sets (default: fees,
    then interest, then principal; penalties count as fees)."""

    FEES = "fees"
    INTEREST = "interest"
    PRINCIPAL = "principal"


DEFAULT_ALLOCATION = (Component.FEES, Component.INTEREST, Component.PRINCIPAL)


@dataclass(frozen=True)
class ScheduleLine:
    number: int  # 1-based
    due_date: date
    principal: int  # minor units
    interest: int
    fee: int = 0  # a per-instalment fee (the upfront fee is not here)

    @property
    def total(self) -> int:
        return self.principal + self.interest + self.fee


@dataclass(frozen=True)
class Schedule:
    """A loan's repayment schedule: the lines sum exactly to principal + interest (+ fees),
    to the franc (the last line absorbs the rounding)."""

    currency: str
    principal: int
    lines: tuple[ScheduleLine, ...]
    upfront_fee: int = 0  # taken at disbursement (deducted from what is paid out)

    @property
    def total_interest(self) -> int:
        return sum(line.interest for line in self.lines)

    @property
    def total_fees(self) -> int:
        return self.upfront_fee + sum(line.fee for line in self.lines)

    @property
    def total_cost(self) -> int:
        """What the credit costs: interest and every fee."""
        return self.total_interest + self.total_fees

    @property
    def total_repaid(self) -> int:
        return sum(line.total for line in self.lines)


@dataclass(frozen=True)
class LoanEventRef:
    """Who and what an event or a read is about (public ids as strings)."""

    loan: str
    number: str  # the loan's number, e.g. PRT-2026-000042
    borrower: str  # user public id (a landlord advance: the applicant, the owner org below)
    organization: str | None  # a landlord advance's owner organization
    product: str  # the product's code
    currency: str


# --- emergency fund, guarantors and pledged savings ---


class WithdrawalRule(StrEnum):
    NO_LOCK = "no_lock"  # withdraw to the wallet at any time
    NOTICE = "notice"  # a withdrawal is paid `notice_days` after it is asked


class GuarantorStatus(StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REVOKED = "revoked"


@dataclass(frozen=True)
class EmergencyFundInfo:
    """A user's emergency fund as underwriting sees it (minor units). `pledged`: held for
    loans (ledger holds); `available`: what could be withdrawn or pledged now (balance minus
    the holds minus the withdrawals under notice)."""

    public_id: str
    user: str
    currency: str
    account: str  # the fund's ledger account (user-owned, code `wallet.vault.fund.<id>`)
    balance: int
    pledged: int
    available: int
    goal: int
    withdrawal_rule: WithdrawalRule
    notice_days: int
    auto_amount: int  # automatic saving per period (0: none)
    auto_frequency: str  # "weekly" / "monthly" / ""
    opened_on: date
    months_saving: int  # calendar months since it was opened, this one included


# --- repayments ---


@dataclass(frozen=True)
class Payoff:
    """What closes a loan today (the prepayment quote): what is due, the principal not yet
    due, the current period's interest and fee accrued to the day (minor units)."""

    loan: str  # public id
    currency: str
    as_of: date
    principal: int
    interest: int
    fees: int

    @property
    def total(self) -> int:
        return self.principal + self.interest + self.fees


# --- loan products: a quote (the simulation, and the offer's terms) ---


@dataclass(frozen=True)
class Quote:
    """A loan of a product for an amount and a term, as it would be offered on `start`: the
    schedule (its upfront fee deducted from what is paid out), the TEG and the usury ceiling
    (basis points), and the key facts statement (services/key_facts.py) in `language`."""

    product: str  # the product's code
    amount: int
    term: int
    currency: str
    start: date
    schedule: Schedule
    teg_bps: int
    ceiling_bps: int | None
    key_facts: dict

    @property
    def paid_out(self) -> int:
        return self.schedule.principal - self.schedule.upfront_fee

    @property
    def total_cost(self) -> int:
        return self.schedule.total_cost

    @property
    def within_ceiling(self) -> bool:
        return self.ceiling_bps is not None and self.teg_bps <= self.ceiling_bps


# --- delinquency: the portfolio at risk (analytics reads it through api.portfolio_at_risk) ---


@dataclass(frozen=True)
class PortfolioBucket:
    bucket: str  # Bucket value
    loans: int
    principal: int  # principal owed, minor units
    outstanding: int  # everything owed (principal, interest and fees billed, late fees)
    ledger: int  # the same loans' ledger accounts
    provision: int  # what the allowance for losses asks for this bucket


@dataclass(frozen=True)
class PortfolioAtRisk:
    """The active loan book in one currency on a day: PAR30 / PAR90 in basis points of what
    the book owes, checked against the ledger (`agrees`)."""

    currency: str
    day: date
    loans: int
    outstanding: int
    par30_bps: int
    par90_bps: int
    agrees: bool
    buckets: tuple[PortfolioBucket, ...]
