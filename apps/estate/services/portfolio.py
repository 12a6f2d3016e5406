"""Properties, units, management mandates, photos and expenses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from apps.billing import api as billing
from apps.core.errors import NotFound
from apps.identity import api as identity

from ..contracts import PayoutFrequency, UnitKind, UnitStatus
from ..errors import CurrencyNotSupported, DatesOutOfOrder, InvalidInput, NegativeAmount
from ..models import Expense, Mandate, Property, PropertyPhoto, Unit
from .common import check_commission_bps_cap, require

PROPERTY_FIELDS = (
    "name",
    "address",
    "city",
    "neighbourhood",
    "latitude",
    "longitude",
    "description",
    "is_active",
)
UNIT_FIELDS = (
    "label",
    "kind",
    "surface_m2",
    "rooms",
    "furnished",
    "water_meter",
    "electricity_meter",
    "status",
    "market_rent",
)


def _text(value, field: str, *, required: bool = False, max_length: int = 200) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("This field is required."), field=field)
    if len(value) > max_length:
        raise InvalidInput(_("At most %(n)s characters.") % {"n": max_length}, field=field)
    return value


def _gps(latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat, lon = Decimal(str(latitude)), Decimal(str(longitude))
    except (ArithmeticError, ValueError, TypeError):
        raise InvalidInput(_("Give the GPS point as two numbers (latitude, longitude)."), field="latitude")
    if not (-90 <= lat <= 90):
        raise InvalidInput(_("The latitude is between -90 and 90."), field="latitude")
    if not (-180 <= lon <= 180):
        raise InvalidInput(_("The longitude is between -180 and 180."), field="longitude")
    return lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001"))


def _mandate_for(*, manager_id: int, owner_id: int, mandate: Mandate | None) -> Mandate | None:
    if manager_id == owner_id:
        return None
    if mandate is None:
        mandate = (
            Mandate.objects.filter(agency_id=manager_id, owner_id=owner_id, end_date__isnull=True)
            .order_by("-start_date")
            .first()
        )
    if mandate is None or mandate.agency_id != manager_id or mandate.owner_id != owner_id:
        raise InvalidInput(
            _("There is no management mandate with this owner: create the mandate first."), field="owner"
        )
    return mandate


@transaction.atomic
def property_create(
    *,
    actor,
    organization_id: int,
    owner_id: int | None = None,
    name: str,
    city: str,
    address: str = "",
    neighbourhood: str = "",
    latitude=None,
    longitude=None,
    description: str = "",
    mandate: Mandate | None = None,
) -> Property:
    """A property managed by `organization_id`, owned by `owner_id` (itself by default;
    another owner needs a management mandate)."""
    require(actor, "estate.portfolio.manage", organization_id)
    owner_id = owner_id or organization_id
    org = identity.get_organization(id=organization_id)
    lat, lon = _gps(latitude, longitude)
    prop = Property.objects.create(
        organization_id=organization_id,
        owner_id=owner_id,
        mandate=_mandate_for(manager_id=organization_id, owner_id=owner_id, mandate=mandate),
        name=_text(name, "name", required=True, max_length=150),
        city=_text(city, "city", required=True, max_length=100),
        address=_text(address, "address", max_length=300),
        neighbourhood=_text(neighbourhood, "neighbourhood", max_length=100),
        country=org.country or "BJ",
        latitude=lat,
        longitude=lon,
        description=_text(description, "description", max_length=4000),
    )
    return prop


@transaction.atomic
def property_update(*, actor, property: Property, **changes) -> Property:
    require(actor, "estate.portfolio.manage", property)
    unknown = set(changes) - set(PROPERTY_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown field."), field=sorted(unknown)[0])
    if "latitude" in changes or "longitude" in changes:
        changes["latitude"], changes["longitude"] = _gps(
            changes.get("latitude", property.latitude), changes.get("longitude", property.longitude)
        )
    for name in ("name", "city"):
        if name in changes:
            changes[name] = _text(changes[name], name, required=True, max_length=150)
    for name, value in changes.items():
        setattr(property, name, value)
    property.save()
    return property


@transaction.atomic
def property_photo_add(*, actor, property: Property, image, caption: str = "") -> PropertyPhoto:
    require(actor, "estate.portfolio.manage", property)
    return PropertyPhoto.objects.create(property=property, image=image, caption=_text(caption, "caption"))


def _unit_values(data: dict) -> dict:
    out = dict(data)
    if "label" in out:
        out["label"] = _text(out["label"], "label", required=True, max_length=60)
    if "kind" in out and out["kind"] not in UnitKind.__members__.values():
        raise InvalidInput(_("Unknown unit kind."), field="kind")
    if "status" in out and out["status"] not in UnitStatus.__members__.values():
        raise InvalidInput(_("Unknown unit status."), field="status")
    for name in ("market_rent", "surface_m2", "rooms"):
        value = out.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise InvalidInput(_("A whole number is expected."), field=name)
        if value is not None and value < 0:
            raise NegativeAmount(_("The amount must not be negative."), field=name)
    return out


@transaction.atomic
def organization_currency(organization_id: int, currency: str | None = None) -> str:
    """`currency` if the organization takes money in it, else (none given) its own (the
    first of identity's Organization.currencies). CurrencyNotSupported otherwise."""
    currencies = identity.get_organization(id=organization_id).currencies
    code = (currency or "").strip().upper() if isinstance(currency, str) else currency
    if code is None or code == "":
        if not currencies:
            raise CurrencyNotSupported(field="currency")
        return currencies[0]
    if code not in currencies:
        raise CurrencyNotSupported(
            _("This organization does not take money in %(currency)s (its currencies: %(currencies)s).")
            % {"currency": code, "currencies": ", ".join(currencies) or "-"},
            field="currency",
            currency=code,
            currencies=list(currencies),
        )
    return code


def unit_create(
    *,
    actor,
    property: Property,
    label: str,
    kind: str,
    market_rent: int = 0,
    currency: str | None = None,
    **fields,
) -> Unit:
    """A unit of the property, in `currency` (by default the organization's own); a
    currency the organization does not take money in is refused (currency_not_supported).
    Beyond the plan's unit limit (billing's `estate.units`) it is refused (limit reached)."""
    require(actor, "estate.portfolio.manage", property)
    billing.require(property.organization_id, "estate.units", adding=1)
    values = _unit_values({"label": label, "kind": kind, "market_rent": market_rent, **fields})
    values["currency"] = organization_currency(property.organization_id, currency)
    if Unit.objects.filter(property=property, label=values["label"]).exists():
        raise InvalidInput(_("This property already has a unit with this label."), field="label")
    return Unit.objects.create(property=property, organization_id=property.organization_id, **values)


@transaction.atomic
def unit_update(*, actor, unit: Unit, **changes) -> Unit:
    require(actor, "estate.portfolio.manage", unit)
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown field."), field=sorted(unknown)[0])
    values = _unit_values(changes)
    if (
        "label" in values
        and Unit.objects.filter(property=unit.property_id, label=values["label"]).exclude(pk=unit.pk).exists()
    ):
        raise InvalidInput(_("This property already has a unit with this label."), field="label")
    for name, value in values.items():
        setattr(unit, name, value)
    unit.save()
    return unit


@transaction.atomic
def mandate_create(
    *,
    actor,
    agency_id: int,
    owner_id: int,
    commission_bps: int,
    start_date: date,
    end_date: date | None = None,
    payout_frequency: str = PayoutFrequency.MONTHLY,
) -> Mandate:
    """The agency manages the owner's properties for `commission_bps` of the rent collected
    (capped by law: in Benin 50 % of one month's rent)."""
    require(actor, "estate.portfolio.manage", agency_id)
    if agency_id == owner_id:
        raise InvalidInput(
            _("An organization does not need a mandate to manage its own properties."), field="owner"
        )
    if owner_id not in identity.organization_ids_of(actor):
        # the owner invites the agency's manager into its organization first: an agency
        # cannot claim to manage someone's properties on its own word
        raise NotFound(field="owner")
    owner = identity.get_organization(id=owner_id)
    if owner.kind != "owner":
        raise InvalidInput(_("The owner must be an owner organization."), field="owner")
    if isinstance(commission_bps, bool) or not isinstance(commission_bps, int) or commission_bps < 0:
        raise NegativeAmount(
            _("The commission must be a positive number of basis points."), field="commission_bps"
        )
    agency = identity.get_organization(id=agency_id)
    check_commission_bps_cap(country=agency.country or "BJ", commission_bps=commission_bps)
    if end_date is not None and end_date < start_date:
        raise DatesOutOfOrder(field="end_date")
    if payout_frequency not in PayoutFrequency.__members__.values():
        raise InvalidInput(_("Unknown payout frequency."), field="payout_frequency")
    return Mandate.objects.create(
        agency_id=agency_id,
        owner_id=owner_id,
        commission_bps=commission_bps,
        start_date=start_date,
        end_date=end_date,
        payout_frequency=payout_frequency,
    )


@transaction.atomic
def expense_create(
    *, actor, property: Property, label: str, amount: int, incurred_on: date, unit: Unit | None = None
) -> Expense:
    """A cost charged to the owner, deducted on the next owner statement."""
    require(actor, "estate.finance.manage", property)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise NegativeAmount(field="amount")
    return Expense.objects.create(
        organization_id=property.organization_id,
        property=property,
        unit=unit,
        label=_text(label, "label", required=True),
        amount=amount,
        incurred_on=incurred_on,
    )
