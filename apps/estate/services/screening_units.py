"""Units as tenant screening (apps/scoring) reads them: the unit, its organization, the rent
asked and the legal deposit cap of its country. Read-only; no access check (the caller checks
the organization with identity's policy)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from apps.core.errors import NotFound

from ..models import Unit
from .common import caps


@dataclass(frozen=True)
class UnitSummary:
    public_id: UUID
    organization: UUID  # the managing organization's public id
    organization_id: int
    label: str  # « Résidence Les Palmiers · A2 »
    property_name: str
    city: str
    country: str
    kind: str
    rooms: int
    status: str
    market_rent: int
    currency: str
    deposit_cap_months: int  # the legal cap of the unit's country (estate's ESTATE_LEGAL_CAPS)


_FIELDS = (
    "public_id",
    "label",
    "kind",
    "rooms",
    "status",
    "market_rent",
    "currency",
    "organization_id",
    "organization__public_id",
    "property__name",
    "property__city",
    "property__country",
)


def _summary(row: dict) -> UnitSummary:
    return UnitSummary(
        public_id=row["public_id"],
        organization=row["organization__public_id"],
        organization_id=row["organization_id"],
        label=f"{row['property__name']} · {row['label']}",
        property_name=row["property__name"],
        city=row["property__city"],
        country=row["property__country"],
        kind=row["kind"],
        rooms=row["rooms"],
        status=row["status"],
        market_rent=row["market_rent"],
        currency=row["currency"],
        deposit_cap_months=int(caps(row["property__country"])["deposit_months"]),
    )


def unit_summary(unit_public_id) -> UnitSummary:
    try:
        wanted = UUID(str(unit_public_id))
    except ValueError:
        raise NotFound() from None
    row = Unit.objects.filter(public_id=wanted).values(*_FIELDS).first()
    if row is None:
        raise NotFound()
    return _summary(row)


def units_of(organization_ids, *, limit: int = 500) -> list[UnitSummary]:
    """The units managed by these organizations (internal ids), by property and label. One
    query."""
    ids = list(organization_ids)
    if not ids:
        return []
    rows = (
        Unit.objects.filter(organization_id__in=ids, property__is_active=True)
        .order_by("property__name", "label", "id")
        .values(*_FIELDS)[:limit]
    )
    return [_summary(r) for r in rows]
