"""REST bodies of market's listings (strict in: an unknown field is refused; money out as
MoneyField, in the listing's currency)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import AmountField, MoneyField, StrictSerializer

from ..contracts import ListingKind, ListingPurpose


class MarketPriceChangeOut(serializers.Serializer):
    at = serializers.DateTimeField(source="created_at")
    old_price = MoneyField()
    new_price = MoneyField()


class MarketListingPhotoOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    position = serializers.IntegerField()
    thumb = serializers.CharField(help_text=_("URL of the 320 px copy"))
    medium = serializers.CharField(help_text=_("URL of the 800 px copy"))
    large = serializers.CharField(help_text=_("URL of the 1600 px copy"))
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    caption = serializers.CharField()


class MarketListingOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = serializers.CharField()
    purpose = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    organization = serializers.UUIDField(
        allow_null=True, help_text=_("The offering organization (null: an independent owner)")
    )
    unit = serializers.UUIDField(allow_null=True, help_text=_("estate's unit, for a unit under management"))
    verified = serializers.BooleanField(
        help_text=_("« Verified by Hokwe »: a managed unit of a verified agency")
    )
    rooms = serializers.IntegerField()
    area_m2 = serializers.IntegerField(allow_null=True)
    furnished = serializers.BooleanField()
    water = serializers.BooleanField()
    own_meter = serializers.BooleanField()
    parking = serializers.BooleanField()
    air_conditioning = serializers.BooleanField()
    security = serializers.BooleanField()
    price = MoneyField(help_text=_("Monthly rent, or the sale price"))
    charges = MoneyField()
    deposit_months = serializers.IntegerField()
    advance_months = serializers.IntegerField()
    country = serializers.CharField()
    city = serializers.CharField()
    neighbourhood = serializers.CharField()
    address = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    available_from = serializers.DateField(allow_null=True)
    flags = serializers.ListField(
        child=serializers.CharField(), help_text=_("Moderation flags raised by the rules")
    )
    photo_count = serializers.IntegerField()
    cover = serializers.CharField(help_text=_("URL of the first photo's thumbnail"))
    published_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    status_changed_at = serializers.DateTimeField(allow_null=True)


class MarketListingDetailOut(MarketListingOut):
    photos = MarketListingPhotoOut(many=True)
    price_history = MarketPriceChangeOut(many=True)


class MarketVacantUnitOut(serializers.Serializer):
    unit = serializers.UUIDField()
    property = serializers.UUIDField()
    property_name = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    rooms = serializers.IntegerField()
    rent = MoneyField(help_text=_("The rent asked: the unit's market rent, or its last lease's"))
    city = serializers.CharField()
    neighbourhood = serializers.CharField()


class _ListingFields(StrictSerializer):
    title = serializers.CharField(max_length=140, required=False)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    rooms = serializers.IntegerField(min_value=0, max_value=50, required=False)
    area_m2 = serializers.IntegerField(min_value=1, max_value=1_000_000, required=False, allow_null=True)
    furnished = serializers.BooleanField(required=False)
    water = serializers.BooleanField(required=False)
    own_meter = serializers.BooleanField(required=False)
    parking = serializers.BooleanField(required=False)
    air_conditioning = serializers.BooleanField(required=False)
    security = serializers.BooleanField(required=False)
    price = AmountField(required=False, min_value=None)
    charges = AmountField(required=False, min_value=0)
    deposit_months = serializers.IntegerField(min_value=0, max_value=50, required=False)
    advance_months = serializers.IntegerField(min_value=0, max_value=50, required=False)
    available_from = serializers.DateField(required=False, allow_null=True)


class _PlaceFields(_ListingFields):
    kind = serializers.ChoiceField(choices=[k.value for k in ListingKind], required=False)
    purpose = serializers.ChoiceField(choices=[p.value for p in ListingPurpose], required=False)
    country = serializers.CharField(min_length=2, max_length=2, required=False)
    currency = serializers.CharField(min_length=3, max_length=3, required=False)
    city = serializers.CharField(max_length=100, required=False)
    neighbourhood = serializers.CharField(max_length=100, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    latitude = serializers.FloatField(required=False, allow_null=True)
    longitude = serializers.FloatField(required=False, allow_null=True)


class MarketListingCreateIn(_PlaceFields):
    organization = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=_("Your organization's id; omit it to offer as an independent owner"),
    )


class MarketListingUpdateIn(_PlaceFields):
    pass


class MarketListingFromUnitIn(StrictSerializer):
    unit = serializers.UUIDField(help_text=_("estate's vacant unit"))
    purpose = serializers.ChoiceField(
        choices=[p.value for p in ListingPurpose], required=False, default="rent"
    )
    overrides = _ListingFields(required=False, help_text=_("Fields to change from the unit's facts"))


class MarketListingPhotoIn(StrictSerializer):
    photo = serializers.FileField(help_text=_("JPEG, PNG or WebP, 10 MB at most"))
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
