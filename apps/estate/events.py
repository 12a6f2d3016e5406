"""PUBLIC: the events estate publishes (through the outbox, after commit).

Fields are JSON values: ids are public UUIDs as strings, amounts int minor units,
periods ISO dates (first day of the month).
"""

from dataclasses import dataclass, field

from apps.core.events import DomainEvent


@dataclass(frozen=True)
class RentDuesIssued(DomainEvent):
    """A batch of the month-end run (or a new lease) created dues: the notices
    (avis d'échéance) go out from this event for `due_ids`. One event per batch, not per due.
    `past_due_ids`: dues a new or back-dated lease created for months already due — no
    notice goes out for them, but they count in the rent expected (analytics)."""

    name = "estate.RentDuesIssued"

    period: str
    due_ids: list = field(default_factory=list)
    past_due_ids: list = field(default_factory=list)


@dataclass(frozen=True)
class RentDuePaid(DomainEvent):
    """A due is fully paid; its rent receipt (quittance) exists."""

    name = "estate.RentDuePaid"

    due_id: str
    lease_id: str
    organization_id: str
    amount: int
    currency: str
    period: str
    receipt_code: str


@dataclass(frozen=True)
class RentPaymentApplied(DomainEvent):
    """Money was applied to a lease's dues (any method, full or part; recovery follows its
    cases with it). `outstanding` is what the lease still owes after this payment."""

    name = "estate.RentPaymentApplied"

    payment_id: str
    lease_id: str
    organization_id: str
    amount: int
    currency: str
    method: str
    received_on: str
    outstanding: int
    intent_id: str = ""
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class LeaseSigned(DomainEvent):
    name = "estate.LeaseSigned"

    lease_id: str
    organization_id: str
    unit_id: str
    tenant_ids: list = field(default_factory=list)


@dataclass(frozen=True)
class LeaseEnded(DomainEvent):
    name = "estate.LeaseEnded"

    lease_id: str
    organization_id: str
    end_date: str
