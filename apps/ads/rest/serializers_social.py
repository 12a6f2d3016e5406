"""REST bodies of ads' social part (strict in: an unknown field is refused). No token is
ever part of a body."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import MoneyField, StrictSerializer

from ..models import SocialConnection, SocialPost


class AdsSocialConnectionOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    advertiser = serializers.UUIDField(source="advertiser.public_id")
    page_id = serializers.CharField()
    page_name = serializers.CharField()
    instagram_account_id = serializers.CharField(
        help_text=_("The page's Instagram professional account, if any")
    )
    ad_account_id = serializers.CharField(help_text=_("The Meta ad account boosts are paid from, if chosen"))
    status = serializers.ChoiceField(choices=SocialConnection.Status.values)
    token_expires_at = serializers.DateTimeField(allow_null=True)
    scopes = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()


class AdsSocialPostOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    advertiser = serializers.UUIDField(source="advertiser.public_id")
    connection = serializers.UUIDField(source="connection.public_id")
    network = serializers.ChoiceField(choices=SocialPost.Network.values)
    kind = serializers.ChoiceField(choices=SocialPost.Kind.values)
    listing = serializers.UUIDField()
    message = serializers.CharField()
    status = serializers.ChoiceField(choices=SocialPost.Status.values)
    external_id = serializers.CharField(help_text=_("The post's (or the boosted post's) id on the network"))
    external_ad_id = serializers.CharField(help_text=_("A boost's ad id on the network"))
    budget = MoneyField(allow_null=True, help_text=_("A boost's budget, spent by Meta on your ad account"))
    starts_at = serializers.DateTimeField(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField()
    impressions = serializers.IntegerField()
    reach = serializers.IntegerField()
    clicks = serializers.IntegerField()
    spend = MoneyField(help_text=_("What Meta reports spent (a boost)"))
    results_imported_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class AdsSocialListQuery(StrictSerializer):
    advertiser = serializers.UUIDField(required=False, help_text=_("One of your advertisers (default: all)"))
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class AdsSocialConnectIn(StrictSerializer):
    advertiser = serializers.UUIDField(required=False, help_text=_("The advertiser (default: your only one)"))


class AdsSocialConnectOut(serializers.Serializer):
    dialog_url = serializers.URLField(
        help_text=_("Open it: Facebook asks to share your pages, then comes back")
    )


class AdsSocialCallbackIn(StrictSerializer):
    state = serializers.CharField(max_length=2000)
    code = serializers.CharField(max_length=2000)


class AdsSocialPageChoiceOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    instagram_account_id = serializers.CharField()
    instagram_username = serializers.CharField()


class AdsSocialAdAccountChoiceOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    currency = serializers.CharField()


class AdsSocialPendingOut(serializers.Serializer):
    pending = serializers.CharField(
        source="key", help_text=_("Pass it with the chosen page (valid 15 minutes)")
    )
    advertiser = serializers.UUIDField(source="advertiser.public_id")
    pages = AdsSocialPageChoiceOut(many=True)
    ad_accounts = AdsSocialAdAccountChoiceOut(many=True)
    sandbox = serializers.BooleanField()


class AdsSocialChooseIn(StrictSerializer):
    pending = serializers.CharField(max_length=100)
    page_id = serializers.CharField(max_length=64)
    ad_account_id = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class AdsSocialPublishIn(StrictSerializer):
    connection = serializers.UUIDField(help_text=_("The connected page"))
    listing = serializers.CharField(max_length=300, help_text=_("Your published listing: its id or its link"))
    network = serializers.ChoiceField(choices=SocialPost.Network.values, default=SocialPost.Network.FACEBOOK)
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AdsSocialBoostIn(StrictSerializer):
    budget = serializers.IntegerField(
        min_value=1, help_text=_("In minor units of your ad account's currency (FCFA)")
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
