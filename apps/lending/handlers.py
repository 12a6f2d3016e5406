"""Reactions to other modules' events (`@on(Event)`), thin: they call services."""

# --- repayments: a repayment pay link paid (MoMo, or cash recorded by a collector on it) ---
from apps.core.events import on
from apps.payments.events import PaymentSucceeded


@on(PaymentSucceeded)
def apply_paid_repayment_link(event: PaymentSucceeded, *, event_id: str) -> None:
    from .services.repayments import PURPOSE_LOAN, intent_paid

    if event.purpose_type != PURPOSE_LOAN:
        return
    intent_paid(
        intent_id=event.intent_id,
        purpose_id=event.purpose_id,
        amount=event.amount,
        fee=event.fee_amount,
        method=event.method,
        credit_account=event.credit_account,
    )
