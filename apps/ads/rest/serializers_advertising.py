"""REST bodies of ads' advertising part (strict in; money out as MoneyField, in the row's
currency)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import MoneyField, StrictSerializer

from ..contracts import Audience, CreativeKind, Placement, Pricing


class AdsAdvertiserOpenIn(StrictSerializer):
    organization = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=_("Your organization; none: you advertise in your own name"),
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=120)


class AdsAdvertiserOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    kind = serializers.CharField()
    organization = serializers.UUIDField(source="organization.public_id", allow_null=True, default=None)
    balance = MoneyField(help_text=_("The prepaid ad balance"))
    suspended = serializers.BooleanField()


class AdsTopUpIn(StrictSerializer):
    amount = serializers.IntegerField(min_value=1, help_text=_("Minor units of the advertiser's currency"))
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)


class AdsTopUpOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    amount = MoneyField()
    status = serializers.CharField()
    pay_url = serializers.CharField(default="", help_text=_("Pay it here (mobile money, card)"))
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)


class _CampaignFields(StrictSerializer):
    name = serializers.CharField(max_length=120)
    total_budget = serializers.IntegerField(min_value=1, required=False)
    daily_budget = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    placements = serializers.ListField(
        child=serializers.ChoiceField(choices=[p.value for p in Placement]), required=False
    )
    cities = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=30)
    neighbourhoods = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=30
    )
    audiences = serializers.ListField(
        child=serializers.ChoiceField(choices=[a.value for a in Audience]), required=False
    )
    languages = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False, help_text=_("fr, en; none: every language")
    )
    frequency_cap = serializers.IntegerField(min_value=0, max_value=100, required=False)


class AdsCampaignCreateIn(_CampaignFields):
    advertiser = serializers.UUIDField()
    pricing = serializers.ChoiceField(choices=[p.value for p in Pricing])
    bid = serializers.IntegerField(
        min_value=1, help_text=_("CPM: the price of 1,000 impressions; CPC: of a click; flat: the fee")
    )
    starts_on = serializers.DateField(required=False)


class AdsCampaignUpdateIn(_CampaignFields):
    name = serializers.CharField(max_length=120, required=False)
    pricing = serializers.ChoiceField(choices=[p.value for p in Pricing], required=False)
    bid = serializers.IntegerField(min_value=1, required=False)
    starts_on = serializers.DateField(required=False)


class AdsCampaignOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    advertiser = serializers.UUIDField(source="advertiser.public_id")
    name = serializers.CharField()
    status = serializers.CharField()
    pricing = serializers.CharField()
    bid = MoneyField()
    total_budget = MoneyField()
    daily_budget = MoneyField(allow_null=True)
    charged = MoneyField(help_text=_("Drawn from the ad balance so far"))
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    priority = serializers.IntegerField()
    frequency_cap = serializers.IntegerField()
    placements = serializers.ListField(child=serializers.CharField())
    cities = serializers.ListField(child=serializers.CharField())
    neighbourhoods = serializers.ListField(child=serializers.CharField())
    audiences = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    impressions = serializers.IntegerField()
    clicks = serializers.IntegerField()
    conversions = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class AdsCreativeIn(StrictSerializer):
    kind = serializers.ChoiceField(choices=[k.value for k in CreativeKind])
    listing = serializers.UUIDField(required=False, allow_null=True)
    headline = serializers.CharField(required=False, allow_blank=True, max_length=90)
    body = serializers.CharField(required=False, allow_blank=True, max_length=200)
    link_url = serializers.CharField(required=False, allow_blank=True, max_length=500)
    image = serializers.FileField(
        required=False, allow_null=True, help_text=_("A banner's image (multipart)")
    )


class AdsCreativeOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.CharField()
    listing = serializers.UUIDField(allow_null=True)
    headline = serializers.CharField()
    body = serializers.CharField()
    link_url = serializers.CharField()
    image = serializers.SerializerMethodField()
    status = serializers.CharField()
    rejection_reason = serializers.CharField()

    def get_image(self, obj) -> str:
        return obj.image.url if obj.image else ""


class AdsReportLineOut(serializers.Serializer):
    day = serializers.DateField(allow_null=True)
    impressions = serializers.IntegerField()
    clicks = serializers.IntegerField()
    ctr_bp = serializers.IntegerField(help_text=_("Clicks per impression in basis points (1 % = 100)"))
    conversions = serializers.IntegerField()
    spend = MoneyField()
    cost_per_conversion = MoneyField(allow_null=True)
    filtered = serializers.IntegerField(help_text=_("Impressions and clicks not counted: robots, duplicates"))


class AdsReportOut(serializers.Serializer):
    total = AdsReportLineOut()
    days = AdsReportLineOut(many=True)


class AdsServeParams(StrictSerializer):
    placement = serializers.ChoiceField(choices=[p.value for p in Placement])
    city = serializers.CharField(required=False, allow_blank=True, max_length=100)
    neighbourhood = serializers.CharField(required=False, allow_blank=True, max_length=100)
    audience = serializers.ChoiceField(choices=[a.value for a in Audience], required=False)
    count = serializers.IntegerField(required=False, min_value=1, max_value=5, default=1)


class AdsDeliveredOut(serializers.Serializer):
    campaign_id = serializers.UUIDField()
    creative_id = serializers.UUIDField()
    kind = serializers.CharField()
    placement = serializers.CharField()
    listing_id = serializers.CharField()
    headline = serializers.CharField()
    body = serializers.CharField()
    image_url = serializers.CharField()
    link_url = serializers.CharField()
    impression_url = serializers.CharField(help_text=_("Load it once when the ad is shown"))
    click_url = serializers.CharField(help_text=_("Open the ad through it"))
    label = serializers.CharField(help_text=_("« Sponsorisé »: show it on the ad"))


class AdsActivateIn(StrictSerializer):
    step_up_token = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text=_(
            "A flat fee only: the step-up proof of this fee (identity's step-up, action ads.campaign.flat_fee)"
        ),
    )
