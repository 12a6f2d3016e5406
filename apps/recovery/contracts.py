"""PUBLIC: values crossing the recovery boundary (stdlib only).

Amounts are `int` minor units with an ISO 4217 currency; ids are public UUIDs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID


class CaseKind(StrEnum):
    RENT = "rent"  # a tenant's rent arrears on a lease: opened and closed by the daily sync
    LOAN = "loan"  # a loan debt handed over by lending: opened, updated and closed by lending


class CaseStatus(StrEnum):
    OPEN = "open"  # the ladder runs
    PROMISED = "promised"  # a promise to pay: the ladder waits for its date
    PLAN = "plan"  # a payment plan (échéancier) is running: the ladder waits
    LEGAL = "legal"  # handed to a bailiff (huissier) or a lawyer
    CLOSED = "closed"


class CaseOutcome(StrEnum):
    NONE = ""
    PAID = "paid"  # the debt was paid
    SETTLED = "settled"  # closed by the manager (an arrangement outside Hokwe)
    WRITTEN_OFF = "written_off"  # the dues were written off (a loan: by lending's write-off)
    RESTRUCTURED = "restructured"  # a loan case: lending gave the loan a new schedule


class LoanCloseReason(StrEnum):
    """Why lending closes a loan case (`close_loan_case`)."""

    PAID = "paid"
    WRITTEN_OFF = "written_off"
    RESTRUCTURED = "restructured"


class StepAction(StrEnum):
    SMS = "sms"
    EMAIL = "email"
    PUSH = "push"
    WHATSAPP = "whatsapp"  # a ready-to-send WhatsApp message (click-to-chat link) with the pay link
    CALL = "call"  # a call task for the case's collector
    VISIT = "visit"  # a visit task for the case's collector
    FORMAL_NOTICE = "formal_notice"  # mise en demeure (numbered PDF, sent by SMS/e-mail)
    LATE_FEE = "late_fee"  # the lease's late-fee policy
    LEGAL = "legal"  # escalation to a bailiff or lawyer


MESSAGE_ACTIONS = frozenset({StepAction.SMS, StepAction.EMAIL, StepAction.PUSH})


class EventKind(StrEnum):
    """The case timeline."""

    OPENED = "opened"
    REMINDER = "reminder"
    WHATSAPP = "whatsapp"
    TASK = "task"
    CALL = "call"
    VISIT = "visit"
    PAYMENT = "payment"
    CASH = "cash"
    PROMISE = "promise"
    PROMISE_KEPT = "promise_kept"
    PROMISE_BROKEN = "promise_broken"
    PLAN_PROPOSED = "plan_proposed"
    PLAN_ACCEPTED = "plan_accepted"
    INSTALLMENT_MISSED = "installment_missed"
    PLAN_COMPLETED = "plan_completed"
    FORMAL_NOTICE = "formal_notice"
    LATE_FEE = "late_fee"
    LEGAL = "legal"
    NOTE = "note"
    ASSIGNED = "assigned"
    REOPENED = "reopened"
    CLOSED = "closed"


class PromiseStatus(StrEnum):
    PENDING = "pending"
    KEPT = "kept"
    BROKEN = "broken"
    CANCELED = "canceled"


class PlanStatus(StrEnum):
    PROPOSED = "proposed"  # waits for the tenant's OTP
    ACTIVE = "active"
    COMPLETED = "completed"
    BROKEN = "broken"  # an installment was missed: the ladder resumes
    CANCELED = "canceled"


class InstallmentStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    MISSED = "missed"


class TaskKind(StrEnum):
    CALL = "call"
    VISIT = "visit"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELED = "canceled"


class VisitOutcome(StrEnum):
    PAID = "paid"  # cash collected during the visit
    PROMISE = "promise"  # the tenant promised a date
    ABSENT = "absent"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"  # wrong address, gate closed
    MOVED_OUT = "moved_out"
    OTHER = "other"


class CallOutcome(StrEnum):
    REACHED = "reached"
    PROMISE = "promise"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"
    REFUSED = "refused"


class LegalKind(StrEnum):
    BAILIFF = "bailiff"  # huissier de justice
    LAWYER = "lawyer"  # avocat


class LegalStatus(StrEnum):
    REFERRED = "referred"  # file sent to the bailiff or lawyer
    IN_PROGRESS = "in_progress"  # commandement de payer served, proceedings started
    JUDGMENT = "judgment"  # a court decision was obtained
    SETTLED = "settled"  # paid or settled through the bailiff
    CLOSED = "closed"  # dropped


# Which status may follow which (wrapped by apps.core.statemachine in services/states.py;
# terminal states map to nothing).
PROMISE_FLOW: dict[PromiseStatus, set[PromiseStatus]] = {
    PromiseStatus.PENDING: {PromiseStatus.KEPT, PromiseStatus.BROKEN, PromiseStatus.CANCELED},
    PromiseStatus.KEPT: set(),
    PromiseStatus.BROKEN: set(),
    PromiseStatus.CANCELED: set(),
}
PLAN_FLOW: dict[PlanStatus, set[PlanStatus]] = {
    PlanStatus.PROPOSED: {PlanStatus.ACTIVE, PlanStatus.CANCELED},
    PlanStatus.ACTIVE: {PlanStatus.COMPLETED, PlanStatus.BROKEN, PlanStatus.CANCELED},
    PlanStatus.COMPLETED: set(),
    PlanStatus.BROKEN: set(),
    PlanStatus.CANCELED: set(),
}
# The bailiff's or lawyer's follow-up only moves forward (referred -> in progress ->
# judgment -> settled or closed; a step may be skipped).
LEGAL_FLOW: dict[LegalStatus, set[LegalStatus]] = {
    LegalStatus.REFERRED: {
        LegalStatus.IN_PROGRESS,
        LegalStatus.JUDGMENT,
        LegalStatus.SETTLED,
        LegalStatus.CLOSED,
    },
    LegalStatus.IN_PROGRESS: {LegalStatus.JUDGMENT, LegalStatus.SETTLED, LegalStatus.CLOSED},
    LegalStatus.JUDGMENT: {LegalStatus.SETTLED, LegalStatus.CLOSED},
    LegalStatus.SETTLED: set(),
    LegalStatus.CLOSED: set(),
}


class HandoverStatus(StrEnum):
    BALANCED = "balanced"  # declared = what the ledger says the collector holds
    SHORT = "short"  # less cash handed over than collected: the difference stays on the collector
    OVER = "over"  # more cash than collected (refused: count again)


@dataclass(frozen=True)
class CaseInfo:
    public_id: UUID
    organization: UUID
    lease: UUID | None  # None for a loan case
    tenant: UUID | None
    status: CaseStatus
    outcome: CaseOutcome
    amount_owed: int
    recovered: int
    currency: str
    opened_on: date
    oldest_due_date: date | None
    broken_promises: int
    kind: CaseKind = CaseKind.RENT
    loan: UUID | None = None  # a loan case: the loan's public id
    loan_reference: str = ""


@dataclass(frozen=True)
class LoanCaseRequest:
    """What lending hands over to open a loan case (`open_loan_case`, `open_loan_cases`).

    `organization`: the organization the debt is owed to (the lender's); `borrower`: the
    borrower's user public id; `outstanding`: what the loan owes now (principal, interest,
    fees billed), minor units of `currency`; `oldest_due_date`: the oldest unpaid instalment
    (the ladder counts its days from it); `pay_url`: lending's repayment link, the one the
    reminders carry."""

    organization: UUID
    loan: UUID
    loan_reference: str
    borrower: UUID | None
    borrower_name: str
    borrower_phone: str
    outstanding: int
    currency: str
    oldest_due_date: date | None
    pay_url: str


# --- the tenant's own commitments (the assistant: api.tenant_promise, tenant_proposed_plan) ---


@dataclass(frozen=True)
class PromiseInfo:
    public_id: UUID
    case: UUID
    amount: int
    currency: str
    promised_on: date
    status: PromiseStatus
    channel: str


@dataclass(frozen=True)
class PlanInstallmentInfo:
    seq: int
    due_on: date
    amount: int
    paid: int
    status: InstallmentStatus


@dataclass(frozen=True)
class PlanOffer:
    """A payment plan on the tenant's own case, with the step-up that accepts it: identity's
    step-up of (`step_up_action`, `step_up_target`, `total`, `currency`)."""

    public_id: UUID
    case: UUID
    status: PlanStatus
    total: int
    currency: str
    installments: tuple[PlanInstallmentInfo, ...]
    step_up_action: str
    step_up_target: str
    accepted_at: datetime | None = None


@dataclass(frozen=True)
class CollectorPerformance:
    """One collector's work over a period, in one currency (analytics' collector performance
    report): the cases assigned to them live in the period, opened and closed in it, what
    those still owe, what was recovered on their cases in the period, and their activity."""

    collector: UUID  # the user's public id
    name: str
    currency: str
    cases: int
    opened: int
    closed: int
    owed: int  # still owed on their live cases
    recovered: int  # payments received on their cases in the period
    calls: int
    visits: int
    promises_kept: int
    promises_broken: int
