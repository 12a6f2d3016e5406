"""REST bodies of market's local services (strict: an unknown field is refused)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import AmountField, MoneyField, StrictSerializer

from ..models import Trade


class MarketZoneIn(StrictSerializer):
    city = serializers.CharField(max_length=100)
    neighbourhood = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class MarketProviderIn(StrictSerializer):
    name = serializers.CharField(max_length=120)
    phone = serializers.CharField(max_length=30)
    bio = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    country = serializers.CharField(max_length=2, required=False, default="BJ")
    trades = serializers.ListField(
        child=serializers.ChoiceField(choices=Trade.choices), min_length=1, max_length=10
    )
    zones = MarketZoneIn(many=True)


class MarketZoneOut(serializers.Serializer):
    country = serializers.CharField()
    city = serializers.CharField()
    neighbourhood = serializers.CharField()


class MarketProviderOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    bio = serializers.CharField()
    phone = serializers.CharField()
    status = serializers.CharField()
    trades = serializers.ListField(child=serializers.CharField())
    zones = MarketZoneOut(many=True)
    photos = serializers.ListField(child=serializers.CharField())
    rating = serializers.FloatField(
        allow_null=True, help_text=_("Average of the reviews (1 to 5), null without")
    )
    rating_count = serializers.IntegerField()
    jobs_done = serializers.IntegerField()


class MarketReviewOut(serializers.Serializer):
    rating = serializers.IntegerField()
    comment = serializers.CharField()
    author = serializers.CharField(help_text=_("The author's first name"))
    created_at = serializers.DateTimeField()


class MarketProviderDetailOut(MarketProviderOut):
    reviews = MarketReviewOut(many=True)


class MarketProviderQuery(StrictSerializer):
    trade = serializers.ChoiceField(choices=Trade.choices)
    city = serializers.CharField(max_length=100)
    neighbourhood = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class MarketQuoteRequestIn(StrictSerializer):
    trade = serializers.ChoiceField(choices=Trade.choices)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    neighbourhood = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    country = serializers.CharField(max_length=2, required=False, default="BJ")
    wanted_by = serializers.DateField(required=False, allow_null=True, default=None)
    provider = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text=_("Ask this provider only")
    )
    organization = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text=_("Your agency, when it asks")
    )
    maintenance_ticket = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("One of the agency's estate maintenance tickets"),
    )


class MarketQuoteRequestOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    trade = serializers.CharField()
    country = serializers.CharField()
    city = serializers.CharField()
    neighbourhood = serializers.CharField()
    description = serializers.CharField()
    wanted_by = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    direct = serializers.BooleanField(source="provider_id", help_text=_("Sent to one provider only"))
    maintenance_ticket = serializers.UUIDField(allow_null=True)
    created_at = serializers.DateTimeField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["direct"] = bool(instance.provider_id)
        return data


class MarketQuoteIn(StrictSerializer):
    amount = AmountField(min_value=1)
    message = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)


class MarketQuoteOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    request = serializers.UUIDField(source="request.public_id")
    provider = serializers.UUIDField(source="provider.public_id")
    provider_name = serializers.CharField(source="provider.name")
    amount = MoneyField()
    message = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    paid_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the provider marked the job done")
    )
    created_at = serializers.DateTimeField()


class MarketQuoteRequestDetailOut(MarketQuoteRequestOut):
    quotes = MarketQuoteOut(many=True, source="quote_rows")


class MarketReviewIn(StrictSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class MarketQuotePaymentOut(serializers.Serializer):
    intent = serializers.UUIDField(source="public_id")
    status = serializers.CharField()
    amount = MoneyField()
    pay_url = serializers.CharField()


class MarketProviderPhotoIn(StrictSerializer):
    photo = serializers.FileField(help_text=_("JPEG, PNG or WebP"))
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
