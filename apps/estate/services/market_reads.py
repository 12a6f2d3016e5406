"""What market (HokweMarket) reads from estate, through `api.vacant_units` and
`api.unit_listing_facts`: the vacant units of organizations (to publish one in one click) and
the facts a listing of a unit takes (the rent is the real one: the manager's market rent, else
the rent of the unit's last lease; the deposit and advance months of that lease). Reads only."""

from __future__ import annotations

from uuid import UUID

from apps.core.errors import NotFound

from ..contracts import LeaseStatus, UnitListingFacts, UnitStatus, VacantUnit
from ..models import Lease, PropertyPhoto, Unit


def _float(value) -> float | None:
    return None if value is None else float(value)


def _last_leases(unit_ids: list[int]) -> dict[int, dict]:
    """{unit id: its latest non-canceled lease's rent, charges, deposit and advance months}."""
    rows = (
        Lease.objects.filter(unit_id__in=unit_ids)
        .exclude(status=LeaseStatus.CANCELED)
        .order_by("unit_id", "-start_date", "-id")
        .values("unit_id", "rent", "charges", "deposit_months", "advance_months")
    )
    last: dict[int, dict] = {}
    for row in rows:
        last.setdefault(row["unit_id"], row)
    return last


def vacant_units(organization_ids, *, limit: int = 500) -> list[VacantUnit]:
    """The vacant units of these organizations (internal ids), by property and label. Two queries."""
    rows = list(
        Unit.objects.filter(organization_id__in=list(organization_ids), status=UnitStatus.VACANT)
        .order_by("property__name", "label", "id")
        .values(
            "id",
            "public_id",
            "organization_id",
            "label",
            "kind",
            "rooms",
            "market_rent",
            "currency",
            "property__public_id",
            "property__name",
            "property__city",
            "property__neighbourhood",
        )[:limit]
    )
    last = _last_leases([r["id"] for r in rows])
    return [
        VacantUnit(
            unit=r["public_id"],
            property=r["property__public_id"],
            organization_id=r["organization_id"],
            property_name=r["property__name"],
            label=r["label"],
            kind=r["kind"],
            rooms=r["rooms"],
            rent=r["market_rent"] or (last.get(r["id"]) or {}).get("rent", 0),
            currency=r["currency"],
            city=r["property__city"],
            neighbourhood=r["property__neighbourhood"],
        )
        for r in rows
    ]


def unit_listing_facts(unit_id: UUID) -> UnitListingFacts:
    """One unit's facts for its listing; NotFound otherwise (no access check: market checks
    that the caller manages `organization_id`). Three queries."""
    try:
        unit = Unit.objects.select_related("property").get(public_id=UUID(str(unit_id)))
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    prop = unit.property
    last = _last_leases([unit.pk]).get(unit.pk) or {}
    photos = tuple(PropertyPhoto.objects.filter(property=prop).order_by("id").values_list("image", flat=True))
    return UnitListingFacts(
        unit=unit.public_id,
        property=prop.public_id,
        organization_id=unit.organization_id,
        property_name=prop.name,
        label=unit.label,
        kind=unit.kind,
        rooms=unit.rooms,
        surface_m2=unit.surface_m2,
        furnished=unit.furnished,
        own_meter=bool(unit.electricity_meter),
        status=unit.status,
        rent=unit.market_rent or last.get("rent", 0),
        charges=last.get("charges", 0),
        currency=unit.currency,
        deposit_months=last.get("deposit_months", 0),
        advance_months=last.get("advance_months", 0),
        country=prop.country,
        city=prop.city,
        neighbourhood=prop.neighbourhood,
        address=prop.address,
        latitude=_float(prop.latitude),
        longitude=_float(prop.longitude),
        description=prop.description,
        photos=tuple(str(p) for p in photos if p),
    )
