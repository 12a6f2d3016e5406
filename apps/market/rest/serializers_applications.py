"""REST bodies of market's applications (strict: an unknown field is refused)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import AmountField, MoneyField, StrictSerializer


class MarketApplyIn(StrictSerializer):
    listing = serializers.UUIDField(help_text=_("The listing's id"))
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    household_size = serializers.IntegerField(min_value=1, max_value=30, required=False, default=1)
    monthly_income = AmountField(required=False, allow_null=True, default=None)
    move_in = serializers.DateField(required=False, allow_null=True, default=None)


class MarketDeclineIn(StrictSerializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MarketApplicationOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    listing = serializers.UUIDField(source="listing.public_id")
    listing_title = serializers.CharField(source="listing.title")
    status = serializers.CharField()
    message = serializers.CharField()
    household_size = serializers.IntegerField()
    monthly_income = MoneyField(currency="listing.currency", allow_null=True)
    move_in = serializers.DateField(allow_null=True)
    decline_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class MarketApplicantOut(serializers.Serializer):
    application = MarketApplicationOut()
    name = serializers.CharField()
    phone = serializers.CharField()
    kyc_tier = serializers.IntegerField()
    screening = serializers.UUIDField(source="application.screening", allow_null=True)
    screening_state = serializers.CharField(
        help_text=_("pending, consented, issued, withdrawn, expired or empty")
    )
    screening_label = serializers.CharField()


class MarketAcceptOut(serializers.Serializer):
    application = MarketApplicationOut()
    lease_form_url = serializers.CharField(help_text=_("estate's new-lease form, pre-filled"))
    lease_prefill = serializers.DictField()
