"""REST bodies of the wallet's P2P transfers (strict: an unknown field is refused)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import AmountField, MoneyField, StrictSerializer, UTCDateTimeField


class P2pPreviewIn(StrictSerializer):
    phone = serializers.CharField(max_length=32, help_text=_("The receiver's number, written any way"))
    amount = AmountField(min_value=None)
    currency = serializers.CharField(min_length=3, max_length=3, help_text=_("ISO 4217 code of your wallet"))
    note = serializers.CharField(max_length=140, required=False, allow_blank=True, default="")


class P2pPreviewOut(serializers.Serializer):
    preview_id = serializers.UUIDField()
    preview_token = serializers.CharField(source="token", help_text=_("Confirm with it before expires_at"))
    receiver_phone = serializers.CharField()
    receiver_name = serializers.CharField(
        help_text=_("Masked (« Ko*** A. »); empty when the number has no account")
    )
    receiver_has_account = serializers.BooleanField()
    amount = MoneyField()
    fee = MoneyField()
    total = MoneyField()
    note = serializers.CharField()
    step_up_required = serializers.BooleanField()
    step_up_action = serializers.CharField()
    step_up_target = serializers.CharField()
    expires_at = UTCDateTimeField()
    claim_days = serializers.IntegerField(
        help_text=_("A number with no account: the days it has to sign up before the money comes back")
    )


class P2pConfirmIn(StrictSerializer):
    preview_token = serializers.CharField(max_length=2000)
    step_up_token = serializers.CharField(max_length=500, required=False, allow_blank=True, allow_null=True)


class P2pTransferOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    direction = serializers.ChoiceField(choices=["sent", "received"])
    status = serializers.ChoiceField(choices=["completed", "held", "claimed", "returned", "cancelled"])
    amount = MoneyField()
    fee = MoneyField()
    note = serializers.CharField()
    counterpart_name = serializers.CharField()
    counterpart_phone = serializers.CharField()
    can_cancel = serializers.BooleanField()
    created_at = UTCDateTimeField()
    claim_until = UTCDateTimeField(allow_null=True)
    settled_at = UTCDateTimeField(allow_null=True)
