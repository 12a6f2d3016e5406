"""GraphQL of market's search part (fields named market<Thing>): the search and its facets
(anyone, rate-limited per client by the `market.search` scope), and the signed-in seeker's
saved searches, favourites and recently viewed listings. The same services as REST."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from apps.core import ratelimit
from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user
from apps.core.graphql.types import Amount, MoneyField, PublicIdField
from apps.identity.api import authenticated

from ..services import saved as saved_service
from ..services import search as search_service
from ..services import sponsored as sponsored_service


class MarketSearchInput(graphene.InputObjectType):
    class Meta:
        name = "MarketSearchInput"

    text = graphene.String(description=_("Words to find (200 characters at most)"))
    purpose = graphene.String(description=_("rent or sale"))
    country = graphene.String()
    city = graphene.String()
    neighbourhood = graphene.String()
    kinds = graphene.List(graphene.NonNull(graphene.String))
    price_min = Amount()
    price_max = Amount()
    rooms_min = graphene.Int()
    furnished = graphene.Boolean()
    amenities = graphene.List(graphene.NonNull(graphene.String))
    available_by = graphene.Date()
    latitude = graphene.Float()
    longitude = graphene.Float()
    radius_m = graphene.Int(description=_("Metres around the point (capped at 50 km)"))
    bounds = graphene.List(graphene.NonNull(graphene.Float), description=_("south, west, north, east"))
    sort = graphene.String(description=_("relevance, price, -price, newest or distance"))
    after = graphene.String(description=_("The nextCursor of the page before"))
    limit = graphene.Int()


class MarketListingHitType(graphene.ObjectType):
    class Meta:
        name = "MarketListingHit"

    public_id = graphene.UUID(required=True)
    title = graphene.String(required=True)
    purpose = graphene.String(required=True)
    kind = graphene.String(required=True)
    price = MoneyField()
    charges = MoneyField()
    currency = graphene.String(required=True)
    rooms = graphene.Int(required=True)
    furnished = graphene.Boolean(required=True)
    city = graphene.String(required=True)
    neighbourhood = graphene.String(required=True)
    latitude = graphene.Float()
    longitude = graphene.Float()
    verified = graphene.Boolean(required=True)
    status = graphene.String(required=True)
    cover = graphene.String(required=True)
    published_at = graphene.String(required=True)
    distance_m = graphene.Int()


class MarketSponsoredHitType(graphene.ObjectType):
    class Meta:
        name = "MarketSponsoredHit"

    hit = graphene.Field(MarketListingHitType, required=True)
    label = graphene.String(required=True, description=_("« Sponsorisé »: show it on the listing"))
    impression_url = graphene.String(required=True, description=_("Load it once when the listing is shown"))
    click_url = graphene.String(required=True, description=_("Open the listing through it"))


class MarketSearchPageType(graphene.ObjectType):
    class Meta:
        name = "MarketSearchPage"

    hits = graphene.List(graphene.NonNull(MarketListingHitType), required=True)
    sponsored = graphene.List(
        graphene.NonNull(MarketSponsoredHitType),
        required=True,
        description=_("Sponsored listings to show apart, above the first page's results"),
    )
    next_cursor = graphene.String(required=True)
    match_count = graphene.Int(
        description=_(
            "How many listings match, on the first page when known without a second read (a single "
            "page, or a read of every match); else null: marketSearchFacets' matchCount counts them."
        )
    )


class MarketFacetCountType(graphene.ObjectType):
    class Meta:
        name = "MarketFacetCount"

    value = graphene.String(required=True)
    count = graphene.Int(required=True)


def _counts_field():
    return graphene.List(graphene.NonNull(MarketFacetCountType), required=True)


class MarketFacetsType(graphene.ObjectType):
    class Meta:
        name = "MarketFacets"

    kinds = _counts_field()
    cities = _counts_field()
    neighbourhoods = _counts_field()
    rooms = _counts_field()
    furnished = _counts_field()
    amenities = _counts_field()
    price_bands = _counts_field()
    # (not `total`: an Int named so reads as an amount of money; marketSearch's is matchCount too)
    match_count = graphene.Int(required=True, description=_("The listings matching every criterion."))
    exact = graphene.Boolean(
        required=True,
        description="False: the matches were many; counted over a sixteenth or a quarter of them and scaled",
    )


class MarketSavedSearchType(graphene.ObjectType):
    class Meta:
        name = "MarketSavedSearch"

    id = PublicIdField()
    name = graphene.String(required=True)
    query = graphene.JSONString(required=True)
    channel = graphene.String(required=True)
    active = graphene.Boolean(required=True)
    last_alert_at = graphene.DateTime()
    last_alert_count = graphene.Int(required=True)
    created_at = graphene.DateTime(required=True)


def _criteria(criteria) -> dict:
    return {k: v for k, v in dict(criteria or {}).items() if v is not None}


def _query(info, criteria):
    ratelimit.hit("market.search", key=ratelimit.client_key(info.context))
    return search_service.clean_query(_criteria(criteria))


def _counts(mapping: dict) -> list[dict]:
    return [
        {"value": str(k).lower() if isinstance(k, bool) else str(k), "count": v} for k, v in mapping.items()
    ]


class SearchQueries(graphene.ObjectType):
    public_fields = ("market_search", "market_search_facets")

    market_search = graphene.Field(
        MarketSearchPageType,
        required=True,
        criteria=MarketSearchInput(),
        description=_("Listings online matching the criteria, a page at a time (anyone may search)."),
    )
    market_search_facets = graphene.Field(
        MarketFacetsType,
        required=True,
        criteria=MarketSearchInput(),
        description=_("Counts per kind, city, neighbourhood, rooms, amenity and price band of the matches."),
    )
    market_saved_searches = graphene.List(
        graphene.NonNull(MarketSavedSearchType), required=True, first=graphene.Int(default_value=50)
    )
    market_favourites = graphene.List(
        graphene.NonNull(MarketListingHitType), required=True, first=graphene.Int(default_value=50)
    )
    market_recently_viewed = graphene.List(
        graphene.NonNull(MarketListingHitType), required=True, first=graphene.Int(default_value=20)
    )

    @staticmethod
    def resolve_market_search(root, info, criteria=None):
        query = _query(info, criteria)
        page = search_service.search(query)
        sponsored = [
            {
                "hit": item.hit,
                "label": pgettext("a listing in search results", "Sponsored"),
                "impression_url": item.impression_url,
                "click_url": item.click_url,
            }
            for item in sponsored_service.sponsored(query, request=info.context)
        ]
        return {
            "hits": page.hits,
            "sponsored": sponsored,
            "next_cursor": page.next_cursor,
            "match_count": page.total,
        }

    @staticmethod
    def resolve_market_search_facets(root, info, criteria=None):
        facets = search_service.facets(_query(info, criteria))
        counts = {
            name: _counts(getattr(facets, name))
            for name in facets.__dataclass_fields__
            if name not in ("exact", "total")
        }
        return {**counts, "match_count": facets.total, "exact": facets.exact}

    @staticmethod
    def resolve_market_saved_searches(root, info, first=50):
        user = authenticated(current_user(info))
        return list(saved_service.saved_searches(user)[: clamp_first(first, maximum=50)])

    @staticmethod
    def resolve_market_favourites(root, info, first=50):
        user = authenticated(current_user(info))
        listings = saved_service.favourites(user)[: clamp_first(first, maximum=200)]
        return [saved_service.listing_hit(x) for x in listings]

    @staticmethod
    def resolve_market_recently_viewed(root, info, first=20):
        user = authenticated(current_user(info))
        listings = saved_service.recent_views(user, limit=clamp_first(first, maximum=50))
        return [saved_service.listing_hit(x) for x in listings]


class MarketSaveSearch(HokweMutation):
    """Save a search under a name; a daily alert lists its new matches."""

    class Arguments:
        name = graphene.String(required=True)
        criteria = MarketSearchInput(description=_("Left out: every listing online"))
        channel = graphene.String(default_value="sms", description=_("sms, email, push or none"))

    saved_search = graphene.Field(MarketSavedSearchType)

    @classmethod
    def perform(cls, info, user, name, criteria=None, channel="sms"):
        query = search_service.clean_query(_criteria(criteria))
        return {"saved_search": saved_service.save_search(user=user, name=name, query=query, channel=channel)}


class MarketDeleteSavedSearch(HokweMutation):
    class Arguments:
        saved_search_id = graphene.UUID(required=True)

    @classmethod
    def perform(cls, info, user, saved_search_id):
        saved_service.delete_saved(user=user, saved_id=saved_search_id)
        return {}


class MarketSetSavedSearchAlerts(HokweMutation):
    class Arguments:
        saved_search_id = graphene.UUID(required=True)
        active = graphene.Boolean(required=True)
        channel = graphene.String()

    saved_search = graphene.Field(MarketSavedSearchType)

    @classmethod
    def perform(cls, info, user, saved_search_id, active, channel=None):
        changed = saved_service.set_alerts(
            user=user, saved_id=saved_search_id, active=active, channel=channel
        )
        return {"saved_search": changed}


class MarketAddFavourite(HokweMutation):
    class Arguments:
        listing_id = graphene.UUID(required=True)

    listing = graphene.Field(MarketListingHitType)

    @classmethod
    def perform(cls, info, user, listing_id):
        favourite = saved_service.favourite_add(user=user, listing=listing_id)
        return {"listing": saved_service.listing_hit(favourite.listing)}


class MarketRemoveFavourite(HokweMutation):
    class Arguments:
        listing_id = graphene.UUID(required=True)

    @classmethod
    def perform(cls, info, user, listing_id):
        saved_service.favourite_remove(user=user, listing=listing_id, missing_ok=False)
        return {}


class MarketRecordView(HokweMutation):
    """Note that you looked at a listing (your « recently viewed »)."""

    class Arguments:
        listing_id = graphene.UUID(required=True)

    @classmethod
    def perform(cls, info, user, listing_id):
        listing = saved_service.visible_listing(listing_id)
        saved_service.record_view(user=user, listing=listing)
        return {}


class SearchMutations(graphene.ObjectType):
    market_save_search = MarketSaveSearch.Field()
    market_delete_saved_search = MarketDeleteSavedSearch.Field()
    market_set_saved_search_alerts = MarketSetSavedSearchAlerts.Field()
    market_add_favourite = MarketAddFavourite.Field()
    market_remove_favourite = MarketRemoveFavourite.Field()
    market_record_view = MarketRecordView.Field()
