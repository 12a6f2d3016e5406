"""Money held in payments' suspense applied to a rent due (finance staff).

The due's payment intent is opened (or the open one reused) by collections.due_intent,
then payments applies the suspense item to it: the intent succeeds through the normal
success path, and estate's PaymentSucceeded handler settles the due as for any payment."""

from __future__ import annotations

from uuid import UUID

from apps.payments import api as payments

from ..models import RentDue
from .collections import due_intent


def suspense_apply_to_due(*, actor, item: UUID, due: RentDue, reason: str = "", idempotency_key: str = ""):
    """Apply the suspense item `item` (payments' public id) to `due`: what the due still
    owes must equal the amount in suspense (payments refuses otherwise, as it refuses an
    item applied twice). Returns payments' SuspenseDecisionInfo (`awaiting_approval`
    above the four-eyes threshold)."""
    intent = due_intent(due)
    return payments.suspense_apply(
        actor=actor, item=item, intent=intent.public_id, reason=reason, idempotency_key=idempotency_key
    )
