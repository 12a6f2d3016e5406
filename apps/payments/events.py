"""PUBLIC: the events payments publishes (through the outbox, after commit).

Callers react in their own handlers.py, e.g. estate:

    @on(PaymentSucceeded)
    def settle_due(event, *, event_id):
        if event.purpose_type == "estate.RentDue":
            rent_due_settle(due=event.purpose_id, intent=event.intent_id, amount=event.amount)

Fields are JSON values: ids are strings (UUIDs), amounts int minor units.
"""

from dataclasses import dataclass, field

from apps.core.events import DomainEvent


@dataclass(frozen=True)
class PaymentSucceeded(DomainEvent):
    name = "payments.PaymentSucceeded"

    intent_id: str
    organization_id: str  # payee organization public id
    amount: int
    currency: str
    fee_amount: int
    credit_account: str  # ledger account credited with amount - fee_amount
    purpose_type: str
    purpose_id: str
    provider: str
    method: str
    payer_id: str | None  # user public id, when the payer has an account
    receipt_number: str
    succeeded_at: str  # ISO 8601
    ledger_transfer: str
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PaymentFailed(DomainEvent):
    name = "payments.PaymentFailed"

    intent_id: str
    attempt_id: str
    organization_id: str
    purpose_type: str
    purpose_id: str
    provider: str
    reason: str  # a stable code: "declined", "amount_mismatch", "insufficient_funds", …
    method: str = ""  # the attempt's method (mobile_money, card, …): the success rate by method


@dataclass(frozen=True)
class PaymentRefunded(DomainEvent):
    name = "payments.PaymentRefunded"

    intent_id: str
    refund_id: str
    organization_id: str
    amount: int  # this refund
    currency: str
    amount_refunded: int  # all refunds so far
    fully_refunded: bool
    purpose_type: str
    purpose_id: str
    ledger_transfer: str


@dataclass(frozen=True)
class PaymentRefundFailed(DomainEvent):
    """A requested refund ended without money going back (the provider refused it, or the
    payout to the payer failed); its hold was released. A new refund may be asked."""

    name = "payments.PaymentRefundFailed"

    intent_id: str
    refund_id: str
    organization_id: str
    amount: int
    currency: str
    via: str  # "provider" | "payout"
    reason: str
    purpose_type: str
    purpose_id: str


@dataclass(frozen=True)
class PayoutCompleted(DomainEvent):
    name = "payments.PayoutCompleted"

    payout_id: str
    organization_id: str
    amount: int
    currency: str
    status: str  # "paid" | "failed"
