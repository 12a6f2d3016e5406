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


# --- landlord advances: what is due is repaid from the rents collected before the owner's payout
# (payments runs the deduction before every payout from an owners' payable); importing the
# service also registers the landlord products' eligibility check with the lifecycle ---
def _register_rents_deduction() -> None:
    from apps.payments import api as payments

    from .services.advance import rents_deduction

    payments.register_payout_deduction("lending.advance_rents", rents_deduction)


_register_rents_deduction()

# --- the loan events feed scoring: the borrower is rescored once per event, after commit (the
# outbox dispatches after commit; scoring records the event id) ---
from apps.scoring import api as scoring  # noqa: E402

from .events import InstalmentLate, InstalmentPaid, LoanClosed, LoanDisbursed, LoanWrittenOff  # noqa: E402


@on(LoanDisbursed)
@on(InstalmentPaid)
@on(InstalmentLate)
@on(LoanClosed)
@on(LoanWrittenOff)
def rescore_borrower(event, *, event_id: str) -> None:
    scoring.rescore_users([event.borrower], event_id=event_id, event_name=event.name)
