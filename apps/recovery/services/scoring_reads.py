"""Set-based reads of tenants' recovery history for scoring (the rent score's features):
cases opened and how they closed, promises kept and broken. Two queries, whatever the
number of users."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, F, Q

from ..contracts import CaseOutcome, CaseStatus, PromiseStatus
from ..models import Case, Promise


@dataclass(frozen=True)
class TenantRecovery:
    """A tenant's recovery cases counted, every organization."""

    opened: int = 0  # cases ever opened
    paid: int = 0  # closed because the debt was paid
    settled: int = 0  # closed by an arrangement outside Hokwe
    written_off: int = 0  # closed with the dues written off
    open_now: int = 0  # not closed yet
    promises_kept: int = 0
    promises_broken: int = 0


def tenant_recovery(user_ids) -> dict[UUID, TenantRecovery]:
    """Every user's cases and promises counted (users without any are absent)."""
    ids = list({UUID(str(u)) for u in user_ids})
    if not ids:
        return {}
    cases = (
        Case.objects.filter(tenant__public_id__in=ids)
        .values(uid=F("tenant__public_id"))
        .annotate(
            opened=Count("id"),
            paid=Count("id", filter=Q(status=CaseStatus.CLOSED, outcome=CaseOutcome.PAID)),
            settled=Count("id", filter=Q(status=CaseStatus.CLOSED, outcome=CaseOutcome.SETTLED)),
            written_off=Count("id", filter=Q(status=CaseStatus.CLOSED, outcome=CaseOutcome.WRITTEN_OFF)),
            open_now=Count("id", filter=~Q(status=CaseStatus.CLOSED)),
        )
        .order_by()
    )
    counted = {row.pop("uid"): row for row in cases}
    promises = (
        Promise.objects.filter(case__tenant__public_id__in=ids)
        .values(uid=F("case__tenant__public_id"))
        .annotate(
            promises_kept=Count("id", filter=Q(status=PromiseStatus.KEPT)),
            promises_broken=Count("id", filter=Q(status=PromiseStatus.BROKEN)),
        )
        .order_by()
    )
    for row in promises:
        counted.setdefault(row.pop("uid"), {}).update(row)
    return {user: TenantRecovery(**values) for user, values in counted.items()}
