"""PUBLIC: the events recovery publishes (through the outbox, after commit). Scoring counts
broken promises and closed cases; analytics follows recovery rates."""

from dataclasses import dataclass

from apps.core.events import DomainEvent


@dataclass(frozen=True)
class CaseOpened(DomainEvent):
    name = "recovery.CaseOpened"

    case_id: str
    organization_id: str
    lease_id: str
    tenant_id: str  # user public id, "" when the lease has no tenant
    amount: int
    currency: str
    oldest_due_date: str
    kind: str = "rent"  # rent | loan
    loan_id: str = ""  # a loan case: the loan's public id (lease_id is then "")


@dataclass(frozen=True)
class PromiseBroken(DomainEvent):
    """A promise to pay passed its date unpaid: it counts against the tenant."""

    name = "recovery.PromiseBroken"

    case_id: str
    organization_id: str
    tenant_id: str
    promise_id: str
    amount: int
    currency: str
    promised_on: str
    broken_promises: int  # on this case, this one included


@dataclass(frozen=True)
class CaseClosed(DomainEvent):
    name = "recovery.CaseClosed"

    case_id: str
    organization_id: str
    lease_id: str
    tenant_id: str
    outcome: str  # paid | settled | written_off | restructured (a loan)
    recovered: int
    amount_at_open: int
    currency: str
    days_open: int
    broken_promises: int
    kind: str = "rent"  # rent | loan
    loan_id: str = ""  # a loan case: the loan's public id (lease_id is then "")
