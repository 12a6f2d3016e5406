"""Reactions to estate's events: a payment moves its case (and may close it); new dues or
any money change invalidate the day's aging. Thin: each calls a service; the outbox runs
each once per event (and the services are idempotent anyway)."""

from __future__ import annotations

from apps.core.events import on
from apps.estate.events import RentDuesIssued, RentPaymentApplied
from apps.identity import api as identity

from . import services
from .services.common import aging_invalidate


@on(RentPaymentApplied)
def follow_payment(event: RentPaymentApplied, *, event_id: str) -> None:
    services.payment_applied(
        payment_id=event.payment_id,
        lease_id=event.lease_id,
        amount=event.amount,
        method=event.method,
        received_on=event.received_on,
        metadata=event.metadata,
    )
    org_id = identity.organization_ids([event.organization_id]).get(_uuid(event.organization_id))
    if org_id:
        aging_invalidate(org_id)


@on(RentDuesIssued)
def dues_issued(event: RentDuesIssued, *, event_id: str) -> None:
    from .models import Case

    for org_id in set(Case.objects.values_list("organization_id", flat=True).distinct()):
        aging_invalidate(org_id)


def _uuid(value):
    from uuid import UUID

    return UUID(str(value))
