"""GraphQL of market's listings part (fields named market<Thing>): the offerer's listings, the
vacant units they may publish, and the writes (publish a unit in one click, create, update,
submit, withdraw) through the same services as REST (services/listings.py). Another
organization's listing is null / not_found. Photos are uploaded through REST (multipart)."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.errors import NotFound
from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user, or_none
from apps.core.graphql.types import Amount, MoneyField, PublicIdField, UTCDateTime
from apps.estate import api as estate
from apps.identity import api as identity
from apps.identity.api import authenticated

from .. import selectors
from ..contracts import ListingKind, ListingPurpose
from ..services import listings as svc


class MarketListingPhotoType(graphene.ObjectType):
    class Meta:
        name = "MarketListingPhoto"

    id = PublicIdField()
    position = graphene.Int(required=True)
    thumb = graphene.String(required=True)
    medium = graphene.String(required=True)
    large = graphene.String(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)
    caption = graphene.String(required=True)


class MarketPriceChangeType(graphene.ObjectType):
    class Meta:
        name = "MarketPriceChange"

    at = UTCDateTime(required=True, resolver=lambda row, info: row["created_at"])
    old_price = MoneyField()
    new_price = MoneyField()


class MarketMyListingType(graphene.ObjectType):
    class Meta:
        name = "MarketMyListing"
        description = _("A listing of an organization you manage, or your own")

    id = PublicIdField()
    status = graphene.String(required=True)
    purpose = graphene.String(required=True)
    kind = graphene.String(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    organization = graphene.UUID()
    unit = graphene.UUID()
    verified = graphene.Boolean(required=True)
    rooms = graphene.Int(required=True)
    area_m2 = graphene.Int()
    furnished = graphene.Boolean(required=True)
    water = graphene.Boolean(required=True)
    own_meter = graphene.Boolean(required=True)
    parking = graphene.Boolean(required=True)
    air_conditioning = graphene.Boolean(required=True)
    security = graphene.Boolean(required=True)
    price = MoneyField()
    charges = MoneyField()
    deposit_months = graphene.Int(required=True)
    advance_months = graphene.Int(required=True)
    country = graphene.String(required=True)
    city = graphene.String(required=True)
    neighbourhood = graphene.String(required=True)
    address = graphene.String(required=True)
    latitude = graphene.Float()
    longitude = graphene.Float()
    available_from = graphene.Date()
    flags = graphene.List(graphene.NonNull(graphene.String), required=True)
    photo_count = graphene.Int(required=True)
    cover = graphene.String(required=True)
    published_at = UTCDateTime()
    expires_at = UTCDateTime()
    photos = graphene.List(graphene.NonNull(MarketListingPhotoType))
    price_history = graphene.List(graphene.NonNull(MarketPriceChangeType))


class MarketVacantUnitType(graphene.ObjectType):
    class Meta:
        name = "MarketVacantUnit"

    unit = graphene.UUID(required=True)
    property = graphene.UUID(required=True)
    property_name = graphene.String(required=True)
    label = graphene.String(required=True)
    kind = graphene.String(required=True)
    rooms = graphene.Int(required=True)
    rent = MoneyField()
    city = graphene.String(required=True)
    neighbourhood = graphene.String(required=True)


class MarketListingFieldsInput(graphene.InputObjectType):
    class Meta:
        name = "MarketListingFieldsInput"

    title = graphene.String()
    description = graphene.String()
    kind = graphene.String(description=_("One of: %s") % ", ".join(k.value for k in ListingKind))
    purpose = graphene.String(description=_("One of: %s") % ", ".join(p.value for p in ListingPurpose))
    rooms = graphene.Int()
    area_m2 = graphene.Int()
    furnished = graphene.Boolean()
    water = graphene.Boolean()
    own_meter = graphene.Boolean()
    parking = graphene.Boolean()
    air_conditioning = graphene.Boolean()
    security = graphene.Boolean()
    price = Amount()
    charges = Amount()
    deposit_months = graphene.Int()
    advance_months = graphene.Int()
    country = graphene.String()
    currency = graphene.String()
    city = graphene.String()
    neighbourhood = graphene.String()
    address = graphene.String()
    latitude = graphene.Float()
    longitude = graphene.Float()
    available_from = graphene.Date()


def _fields(data) -> dict:
    return {k: v for k, v in dict(data or {}).items() if v is not None or k in ("latitude", "longitude")}


def _detail(listing) -> dict:
    return svc.listing_view(listing, detail=True)


class ListingsQueries(graphene.ObjectType):
    market_my_listings = graphene.List(
        graphene.NonNull(MarketMyListingType),
        first=graphene.Int(),
        description=_("The listings of the organizations you manage and your own, newest first"),
    )
    market_my_listing = graphene.Field(
        MarketMyListingType, listing_id=graphene.UUID(required=True), description=_("One of your listings")
    )
    market_vacant_units = graphene.List(
        graphene.NonNull(MarketVacantUnitType), description=_("The vacant units you may publish in one click")
    )

    def resolve_market_my_listings(root, info, first=50):
        actor = authenticated(current_user(info))
        rows = list(selectors.listings_of(actor)[: clamp_first(first)])
        orgs = svc.organization_public_ids(rows)
        return [svc.listing_view(row, org_ids=orgs) for row in rows]

    @or_none
    def resolve_market_my_listing(root, info, listing_id):
        actor = authenticated(current_user(info))
        try:
            return _detail(svc.manageable_listing(actor, listing_id))
        except Exception as exc:
            if getattr(exc, "status", None) == 404:
                raise NotFound() from None
            raise

    def resolve_market_vacant_units(root, info):
        actor = authenticated(current_user(info))
        return estate.vacant_units(svc.managed_org_ids(actor))


class MarketListingCreateFromUnit(HokweMutation):
    """Publish a vacant unit under management in one click (published at once unless a rule
    flags it: then in review)."""

    class Arguments:
        unit_id = graphene.UUID(required=True)
        purpose = graphene.String()
        overrides = MarketListingFieldsInput()

    listing = graphene.Field(MarketMyListingType)

    @classmethod
    def perform(cls, info, user, *, unit_id, purpose=None, overrides=None):
        listing = svc.create_from_unit(
            actor=user, unit_id=unit_id, purpose=purpose or "rent", overrides=_fields(overrides)
        )
        return {"listing": _detail(listing)}


class MarketListingCreate(HokweMutation):
    """A draft listing of an organization you manage, or your own as an independent owner
    (no organization: an identity verified first)."""

    class Arguments:
        organization = graphene.UUID()
        fields = MarketListingFieldsInput(required=True)

    listing = graphene.Field(MarketMyListingType)

    @classmethod
    def perform(cls, info, user, *, fields, organization=None):
        org_id = identity.get_organization(organization).id if organization else None
        return {"listing": _detail(svc.create(actor=user, organization_id=org_id, **_fields(fields)))}


class MarketListingUpdate(HokweMutation):
    """Change a listing's fields (a new price joins its price history)."""

    class Arguments:
        listing_id = graphene.UUID(required=True)
        fields = MarketListingFieldsInput(required=True)

    listing = graphene.Field(MarketMyListingType)

    @classmethod
    def perform(cls, info, user, *, listing_id, fields):
        listing = svc.manageable_listing(user, listing_id)
        return {"listing": _detail(svc.update(actor=user, listing=listing, **_fields(fields)))}


class MarketListingSubmit(HokweMutation):
    """Put a draft online (published, or in review when a rule flags it)."""

    class Arguments:
        listing_id = graphene.UUID(required=True)

    listing = graphene.Field(MarketMyListingType)

    @classmethod
    def perform(cls, info, user, *, listing_id):
        listing = svc.manageable_listing(user, listing_id)
        return {"listing": _detail(svc.submit(actor=user, listing=listing))}


class MarketListingWithdraw(HokweMutation):
    """Take a listing offline for good."""

    class Arguments:
        listing_id = graphene.UUID(required=True)

    listing = graphene.Field(MarketMyListingType)

    @classmethod
    def perform(cls, info, user, *, listing_id):
        listing = svc.manageable_listing(user, listing_id)
        return {"listing": _detail(svc.withdraw(actor=user, listing=listing))}


class ListingsMutations(graphene.ObjectType):
    market_listing_create_from_unit = MarketListingCreateFromUnit.Field()
    market_listing_create = MarketListingCreate.Field()
    market_listing_update = MarketListingUpdate.Field()
    market_listing_submit = MarketListingSubmit.Field()
    market_listing_withdraw = MarketListingWithdraw.Field()
