"""PUBLIC: what other modules (recovery, market, scoring) may call in estate.

    from apps.estate import api as estate
    estate.lease(lease_public_id)             -> LeaseInfo
    estate.open_dues(lease_public_id)         -> [DueInfo]   (oldest first)
    estate.overdue_dues(organization_public_id, limit=500) -> [DueInfo]

Every function returns frozen dataclasses (contracts.py) and raises DomainError subclasses.
"""

from __future__ import annotations

from uuid import UUID

from apps.core.errors import NotFound

from .contracts import OPEN_DUE_STATUSES, DueInfo, DueStatus, LeaseInfo, LeaseStatus
from .models import Lease, RentDue

__all__ = ["lease", "open_dues", "overdue_dues"]


def _due_info(due: RentDue, lease_public_id: UUID) -> DueInfo:
    return DueInfo(
        public_id=due.public_id,
        lease=lease_public_id,
        period=due.period,
        due_date=due.due_date,
        status=DueStatus(due.status),
        total=due.total,
        paid=due.paid,
        currency=due.currency,
    )


def lease(public_id: UUID) -> LeaseInfo:
    row = (
        Lease.objects.select_related("organization", "unit__property__owner")
        .prefetch_related("lease_tenants__user")
        .filter(public_id=public_id)
        .first()
    )
    if row is None:
        raise NotFound()
    return LeaseInfo(
        public_id=row.public_id,
        reference=row.reference,
        organization=row.organization.public_id,
        owner=row.unit.property.owner.public_id,
        unit=row.unit.public_id,
        tenants=tuple(t.user.public_id for t in row.lease_tenants.all()),
        start_date=row.start_date,
        end_date=row.end_date,
        status=LeaseStatus(row.status),
        rent=row.rent,
        charges=row.charges,
        currency=row.currency,
        credit=row.credit,
    )


def open_dues(lease_public_id: UUID) -> list[DueInfo]:
    rows = RentDue.objects.filter(lease__public_id=lease_public_id, status__in=OPEN_DUE_STATUSES).order_by(
        "due_date"
    )
    return [_due_info(d, lease_public_id) for d in rows]


def overdue_dues(organization_public_id: UUID, *, limit: int = 500) -> list[DueInfo]:
    rows = (
        RentDue.objects.filter(organization__public_id=organization_public_id, status=DueStatus.OVERDUE)
        .select_related("lease")
        .order_by("due_date")[:limit]
    )
    return [_due_info(d, d.lease.public_id) for d in rows]
