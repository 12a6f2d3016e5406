"""Serializers of market's search part: the search's documented parameters (the values are
checked by services.search.clean_query), hits, facets, saved searches."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import StrictSerializer

from ..contracts import AMENITIES, ListingKind, SearchSort
from ..models import SavedSearch

SAVED_SEARCH_CHANNELS = SavedSearch.Channel.choices


class MarketSearchParams(serializers.Serializer):
    """Documentation of the search's query parameters (clean_query reads and checks them)."""

    text = serializers.CharField(required=False, help_text=_("Words to find (200 characters at most)"))
    purpose = serializers.ChoiceField(choices=["rent", "sale"], required=False)
    country = serializers.CharField(required=False, help_text=_("Country code: BJ, CI, …"))
    city = serializers.CharField(required=False)
    neighbourhood = serializers.CharField(required=False)
    kinds = serializers.CharField(required=False, help_text=_("Kinds, comma-separated"))
    price_min = serializers.IntegerField(required=False, min_value=0)
    price_max = serializers.IntegerField(required=False, min_value=0)
    rooms_min = serializers.IntegerField(required=False, min_value=0)
    furnished = serializers.BooleanField(required=False, allow_null=True, default=None)
    amenities = serializers.CharField(
        required=False, help_text=_("Required amenities, comma-separated: ") + ", ".join(AMENITIES)
    )
    available_by = serializers.DateField(required=False, help_text=_("Available on this day at the latest"))
    latitude = serializers.FloatField(required=False, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, min_value=-180, max_value=180)
    radius_m = serializers.IntegerField(
        required=False, min_value=0, help_text=_("Metres around the point (capped at 50 km)")
    )
    bounds = serializers.CharField(required=False, help_text=_("The map's bounds: south,west,north,east"))
    sort = serializers.ChoiceField(choices=[s.value for s in SearchSort], required=False)
    after = serializers.CharField(required=False, help_text=_("The next_cursor of the page before"))
    limit = serializers.IntegerField(required=False, min_value=1, max_value=50)


class MarketListingHitOut(serializers.Serializer):
    public_id = serializers.UUIDField()
    title = serializers.CharField()
    purpose = serializers.CharField()
    kind = serializers.ChoiceField(choices=[k.value for k in ListingKind])
    price = serializers.IntegerField(help_text=_("Minor units of the currency"))
    charges = serializers.IntegerField()
    currency = serializers.CharField()
    rooms = serializers.IntegerField()
    furnished = serializers.BooleanField()
    city = serializers.CharField()
    neighbourhood = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    verified = serializers.BooleanField()
    status = serializers.CharField()
    cover = serializers.CharField()
    published_at = serializers.CharField()
    distance_m = serializers.IntegerField(allow_null=True)


class MarketSponsoredHitOut(MarketListingHitOut):
    label = serializers.CharField(help_text=_("« Sponsorisé »: show it on the listing"))
    impression_url = serializers.CharField(help_text=_("Load it once when the listing is shown"))
    click_url = serializers.CharField(help_text=_("Open the listing through it"))


class MarketSearchPageOut(serializers.Serializer):
    results = MarketListingHitOut(many=True)
    sponsored = MarketSponsoredHitOut(
        many=True, help_text=_("Sponsored listings to show apart, above the first page's results")
    )
    next_cursor = serializers.CharField(
        help_text=_("Pass it as `after` for the next page; empty on the last")
    )
    total = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "The matches, on the first page when known without a second read (a single page, or "
            "a read of every match); else null: the facets' total counts them"
        ),
    )


class MarketFacetCountOut(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()


class MarketFacetsOut(serializers.Serializer):
    kinds = MarketFacetCountOut(many=True)
    cities = MarketFacetCountOut(many=True)
    neighbourhoods = MarketFacetCountOut(many=True)
    rooms = MarketFacetCountOut(many=True)
    furnished = MarketFacetCountOut(many=True)
    amenities = MarketFacetCountOut(many=True)
    price_bands = MarketFacetCountOut(many=True)
    total = serializers.IntegerField(help_text=_("The listings matching every criterion"))
    exact = serializers.BooleanField(
        help_text=_("False: the matches were many; counted over a sixteenth or a quarter of them and scaled")
    )


class MarketSavedSearchIn(StrictSerializer):
    name = serializers.CharField(max_length=120)
    channel = serializers.ChoiceField(choices=SAVED_SEARCH_CHANNELS, default=SavedSearch.Channel.SMS)
    query = serializers.DictField(help_text=_("The search's criteria: the search's parameters, by name"))


class MarketSavedSearchPatch(StrictSerializer):
    active = serializers.BooleanField()
    channel = serializers.ChoiceField(choices=SAVED_SEARCH_CHANNELS, required=False)


class MarketSavedSearchOut(serializers.Serializer):
    public_id = serializers.UUIDField()
    name = serializers.CharField()
    query = serializers.DictField()
    channel = serializers.CharField()
    active = serializers.BooleanField()
    last_alert_at = serializers.DateTimeField(allow_null=True)
    last_alert_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class MarketListingRefIn(StrictSerializer):
    listing = serializers.UUIDField()
