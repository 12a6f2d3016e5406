"""PUBLIC: the events lending publishes (through the outbox, after commit). Scoring consumes
them; each part publishes its own with `apps.core.outbox.publish`."""

from __future__ import annotations

from dataclasses import dataclass

from apps.core.events import DomainEvent


@dataclass(frozen=True)
class LoanDisbursed(DomainEvent):
    """The principal left Hokwe's loan book to the wallet, the rent due or the owner."""

    name = "lending.LoanDisbursed"

    loan: str  # public ids as strings
    number: str
    borrower: str
    organization: str | None
    product: str
    borrower_kind: str
    destination: str
    principal: int
    currency: str
    disbursed_on: str  # ISO date


@dataclass(frozen=True)
class InstalmentPaid(DomainEvent):
    """An instalment is paid in full (`days_late` 0 when on or before its due date)."""

    name = "lending.InstalmentPaid"

    loan: str
    borrower: str
    number: int
    due_date: str
    paid_on: str
    days_late: int
    amount: int
    currency: str


@dataclass(frozen=True)
class InstalmentLate(DomainEvent):
    """An instalment passed its due date unpaid, or moved to a worse bucket."""

    name = "lending.InstalmentLate"

    loan: str
    borrower: str
    number: int
    due_date: str
    days_late: int
    bucket: str
    amount_due: int
    currency: str


@dataclass(frozen=True)
class LoanClosed(DomainEvent):
    """Everything owed is paid (`prepaid`: before the last due date)."""

    name = "lending.LoanClosed"

    loan: str
    borrower: str
    closed_on: str
    prepaid: bool


@dataclass(frozen=True)
class LoanWrittenOff(DomainEvent):
    """The loan book gave up what was still owed (audited)."""

    name = "lending.LoanWrittenOff"

    loan: str
    borrower: str
    amount: int
    currency: str
    written_off_on: str
