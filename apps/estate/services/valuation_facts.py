"""What a rent valuation needs from estate, set-based (scoring's HokweValuation reads it through
`api.valuation_units` and `api.valuation_leases`; owned by scoring's valuation part).

A unit's facts: where it is (the property's coordinates, city, neighbourhood, country), its
kind, rooms, surface and furnishing, its currency and the rent of its active lease. A lease's
facts: the same about its unit, with the rent agreed and the date it was agreed (the latest
terms' date, else the start): the comparables and the hedonic model's training rows.

Amenities are not recorded by estate yet (a unit has `furnished` only): when they are, they
join both shapes here. Reads only; one query per call (two for units: their active leases).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Q
from django.db.models.functions import Coalesce

from ..contracts import LeaseStatus
from ..models import Lease, Unit


@dataclass(frozen=True)
class ValuationUnit:
    unit: UUID
    property: UUID
    organization: UUID
    label: str
    kind: str
    rooms: int
    surface_m2: int | None
    furnished: bool
    latitude: float | None
    longitude: float | None
    city: str
    neighbourhood: str
    country: str
    currency: str
    market_rent: int  # the manager's own figure (0: none)
    current_rent: int | None  # the active lease's rent, if let


@dataclass(frozen=True)
class ValuationLease:
    lease: UUID
    unit: UUID
    kind: str
    rooms: int
    surface_m2: int | None
    furnished: bool
    latitude: float | None
    longitude: float | None
    city: str
    neighbourhood: str
    country: str
    currency: str
    rent: int  # monthly rent in force (charges excluded)
    agreed_on: date  # when that rent was agreed: the latest terms, else the start


def _float(value) -> float | None:
    return None if value is None else float(value)


UNIT_FIELDS = (
    "id",
    "public_id",
    "label",
    "kind",
    "rooms",
    "surface_m2",
    "furnished",
    "currency",
    "market_rent",
    "organization__public_id",
    "property__public_id",
    "property__latitude",
    "property__longitude",
    "property__city",
    "property__neighbourhood",
    "property__country",
)


def valuation_units(
    *, units: list[UUID] | None = None, property: UUID | None = None, organization_ids: set[int] | None = None
) -> list[ValuationUnit]:
    """The facts of the given units (or of every unit of `property`), restricted to
    `organization_ids` when given (the caller's scope). Two queries."""
    qs = Unit.objects.all()
    if units is not None:
        qs = qs.filter(public_id__in=list(units))
    if property is not None:
        qs = qs.filter(property__public_id=property)
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=organization_ids)
    rows = list(qs.order_by("property_id", "label").values(*UNIT_FIELDS))
    rents = dict(
        Lease.objects.filter(unit_id__in=[r["id"] for r in rows], status=LeaseStatus.ACTIVE).values_list(
            "unit_id", "rent"
        )
    )
    return [
        ValuationUnit(
            unit=r["public_id"],
            property=r["property__public_id"],
            organization=r["organization__public_id"],
            label=r["label"],
            kind=r["kind"],
            rooms=r["rooms"],
            surface_m2=r["surface_m2"],
            furnished=r["furnished"],
            latitude=_float(r["property__latitude"]),
            longitude=_float(r["property__longitude"]),
            city=r["property__city"],
            neighbourhood=r["property__neighbourhood"],
            country=r["property__country"],
            currency=r["currency"],
            market_rent=r["market_rent"],
            current_rent=rents.get(r["id"]),
        )
        for r in rows
    ]


def valuation_leases(
    *,
    since: date | None = None,
    currency: str | None = None,
    kinds: list[str] | None = None,
    box: tuple[float, float, float, float] | None = None,
    cities: list[str] | None = None,
    exclude_units: list[UUID] | None = None,
    limit: int | None = None,
) -> list[ValuationLease]:
    """Every active or ended lease (canceled ones never agreed a rent) agreed on or after
    `since`, as comparables or training rows, across organizations: the market is the
    platform's (an estimate never shows another organization's lease, only the figure).
    `box` = (lat_min, lat_max, lon_min, lon_max) or `cities` narrows by place (either matches
    when both are given). Newest first; one query."""
    # the lease's stored agreed_on (its latest terms) else its start: the expression of
    # estate_lease_agreed_idx, walked newest first within a currency
    qs = Lease.objects.exclude(status=LeaseStatus.CANCELED).annotate(
        agreed=Coalesce("agreed_on", "start_date")
    )
    if currency:
        qs = qs.filter(currency=currency)
    if kinds:
        qs = qs.filter(unit__kind__in=kinds)
    place = Q()
    if box is not None:
        lat_min, lat_max, lon_min, lon_max = box
        place |= Q(
            unit__property__latitude__gte=lat_min,
            unit__property__latitude__lte=lat_max,
            unit__property__longitude__gte=lon_min,
            unit__property__longitude__lte=lon_max,
        )
    if cities:
        place |= Q(unit__property__city__in=cities)
    if place:
        qs = qs.filter(place)
    if exclude_units:
        qs = qs.exclude(unit__public_id__in=list(exclude_units))
    if since is not None:
        qs = qs.filter(agreed__gte=since)
    qs = qs.order_by("-agreed", "-id").values(
        "public_id",
        "rent",
        "currency",
        "agreed",
        "unit__public_id",
        "unit__kind",
        "unit__rooms",
        "unit__surface_m2",
        "unit__furnished",
        "unit__property__latitude",
        "unit__property__longitude",
        "unit__property__city",
        "unit__property__neighbourhood",
        "unit__property__country",
    )
    if limit is not None:
        qs = qs[:limit]
    return [
        ValuationLease(
            lease=r["public_id"],
            unit=r["unit__public_id"],
            kind=r["unit__kind"],
            rooms=r["unit__rooms"],
            surface_m2=r["unit__surface_m2"],
            furnished=r["unit__furnished"],
            latitude=_float(r["unit__property__latitude"]),
            longitude=_float(r["unit__property__longitude"]),
            city=r["unit__property__city"],
            neighbourhood=r["unit__property__neighbourhood"],
            country=r["unit__property__country"],
            currency=r["currency"],
            rent=r["rent"],
            agreed_on=r["agreed"],
        )
        for r in qs
    ]
