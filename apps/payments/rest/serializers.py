from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import AmountField, MoneyField, MoneySerializer, StrictSerializer, UTCDateTimeField

from .. import api
from ..contracts import IntentStatus, Method


class PurposeOut(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField()


class OrganizationRef(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()


class _IntentListOut(serializers.ListSerializer):
    """A page of intents: the current attempts of the pending ones read in one query."""

    def to_representation(self, data):
        from .. import selectors

        rows = list(data.all() if hasattr(data, "all") else data)
        self.child.context["current_attempts"] = selectors.current_attempts(rows)
        return super().to_representation(rows)


class IntentOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = serializers.CharField()
    amount = MoneyField()
    fee = MoneyField("fee_amount")
    amount_refunded = MoneyField()
    organization = OrganizationRef()
    payer = serializers.SerializerMethodField()
    payer_name = serializers.CharField()
    description = serializers.CharField()
    purpose = serializers.SerializerMethodField()
    credit_account = serializers.UUIDField()
    metadata = serializers.JSONField()
    expires_at = UTCDateTimeField()
    created_at = UTCDateTimeField()
    succeeded_at = UTCDateTimeField(allow_null=True)
    provider = serializers.SerializerMethodField(
        help_text="The provider of the payment; while pending, that of the attempt under way"
    )
    method = serializers.SerializerMethodField(
        help_text="The method of the payment; while pending, that of the attempt under way"
    )
    receipt_number = serializers.CharField()
    pay_url = serializers.SerializerMethodField()
    receipt_url = serializers.SerializerMethodField()

    class Meta:
        list_serializer_class = _IntentListOut

    def _current(self, obj) -> tuple[str, str]:
        if obj.provider or obj.status != "pending":
            return obj.provider, obj.method
        known = self.context.get("current_attempts")
        if known is None:
            from .. import selectors

            known = selectors.current_attempts([obj])
        return known.get(obj.pk, (obj.provider, obj.method))

    def get_provider(self, obj) -> str:
        return self._current(obj)[0]

    def get_method(self, obj) -> str:
        return self._current(obj)[1]

    def get_payer(self, obj) -> str | None:
        return str(obj.payer.public_id) if obj.payer_id else None

    def get_purpose(self, obj) -> PurposeOut:
        return {"type": obj.purpose_type, "id": obj.purpose_id}

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        if not path or path.startswith("http") or request is None:
            return path
        return request.build_absolute_uri(path)

    def get_pay_url(self, obj) -> str:
        return self._absolute(api.pay_url(obj))

    def get_receipt_url(self, obj) -> str:
        return self._absolute(api.receipt_url(obj))


class IntentCreateIn(StrictSerializer):
    organization = serializers.UUIDField(help_text=_("The payee organization"))
    amount = AmountField(min_value=1, max_value=10**12)
    currency = serializers.CharField(
        min_length=3, max_length=3, required=False, help_text=_("ISO 4217; by default the organization's own")
    )
    description = serializers.CharField(max_length=200)
    purpose_type = serializers.CharField(max_length=100, default="payments.PayLink")
    purpose_id = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    credit_account = serializers.UUIDField(required=False)
    payer_phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    payer_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    metadata = serializers.DictField(required=False, default=dict)
    expires_at = UTCDateTimeField(required=False)


class IntentListQuery(StrictSerializer):
    status = serializers.ChoiceField(choices=[v.value for v in IntentStatus], required=False)
    organization = serializers.UUIDField(required=False, help_text="Only this organization's intents")
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class AttemptIn(StrictSerializer):
    method = serializers.ChoiceField(
        choices=[Method.MOBILE_MONEY.value, Method.CARD.value], default="mobile_money"
    )
    provider = serializers.CharField(max_length=30, required=False)
    return_url = serializers.URLField(required=False, allow_blank=True, default="")


class CheckoutOut(serializers.Serializer):
    attempt = serializers.UUIDField()
    provider = serializers.CharField()
    method = serializers.CharField()
    kind = serializers.CharField()
    url = serializers.CharField()
    widget = serializers.JSONField()


class ConfirmIn(StrictSerializer):
    transaction_id = serializers.CharField(max_length=100)


class PushIn(StrictSerializer):
    phone = serializers.CharField(max_length=32)
    operator = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class RefundIn(StrictSerializer):
    amount = AmountField(min_value=1, required=False)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    step_up_token = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RefundOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    intent = serializers.UUIDField(source="intent.public_id")
    amount = MoneyField()
    status = serializers.CharField()
    reason = serializers.CharField()
    via = serializers.CharField(
        help_text=_(
            '"provider" (the collecting provider gives it back) or "payout" (paid to the payer\'s number)'
        )
    )
    failure_reason = serializers.CharField()
    created_at = UTCDateTimeField()


class CashIn(StrictSerializer):
    organization = serializers.UUIDField()
    amount = AmountField(min_value=1, max_value=10**12, required=False)
    currency = serializers.CharField(
        min_length=3,
        max_length=3,
        required=False,
        help_text=_("One of the organization's currencies; by default the organization's own"),
    )
    description = serializers.CharField(max_length=200, required=False)
    payer_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    payer_phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    intent = serializers.UUIDField(required=False, help_text=_("Pay an existing intent in cash"))

    def validate(self, data):
        if "intent" not in data and ("amount" not in data or "description" not in data):
            raise serializers.ValidationError(
                {"amount": [_("Give the amount and what is paid, or an intent.")]}
            )
        return data


class CashReportQuery(StrictSerializer):
    day = serializers.DateField(required=False)
    organization = serializers.UUIDField(required=False)


class PayoutAccountIn(StrictSerializer):
    organization = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=["mobile_money", "bank_account"])
    holder_name = serializers.CharField(max_length=150)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    operator = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    bank_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    account_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    step_up_token = serializers.CharField(max_length=200, required=False, allow_blank=True)


class StepUpIn(StrictSerializer):
    step_up_token = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PayoutAccountOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organization = serializers.UUIDField(source="organization.public_id")
    kind = serializers.CharField()
    destination = serializers.CharField(source="masked")
    holder_name = serializers.CharField()
    verified = serializers.SerializerMethodField()
    verified_via = serializers.CharField(
        help_text=_(
            '"step_up", "name_lookup" (the operator\'s holder is the landlord), "staff", or "" (not yet)'
        )
    )
    verification_note = serializers.CharField(
        help_text=_("why the account waits for staff, or how it was verified")
    )
    created_at = UTCDateTimeField()

    def get_verified(self, obj) -> bool:
        return obj.verified_at is not None


class PayoutIn(StrictSerializer):
    organization = serializers.UUIDField()
    payout_account = serializers.UUIDField()
    amount = AmountField(min_value=1, max_value=10**12)
    currency = serializers.CharField(
        min_length=3, max_length=3, required=False, help_text=_("ISO 4217; by default the organization's own")
    )
    step_up_token = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PayoutOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organization = serializers.UUIDField(source="organization.public_id")
    amount = MoneyField()
    status = serializers.CharField()
    destination = serializers.CharField()
    provider = serializers.CharField()
    scheduled = serializers.BooleanField()
    failure_reason = serializers.CharField()
    created_at = UTCDateTimeField()
    paid_at = UTCDateTimeField(allow_null=True)


class CashReportLineOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    receipt_number = serializers.CharField()
    amount = MoneyField()
    payer_name = serializers.CharField()
    description = serializers.CharField()
    paid_at = UTCDateTimeField(source="succeeded_at")
    status = serializers.CharField()


class CashReportOut(serializers.Serializer):
    day = serializers.DateField()
    count = serializers.IntegerField()
    totals = MoneySerializer(many=True, help_text=_("One total per currency"))
    payments = CashReportLineOut(many=True)
