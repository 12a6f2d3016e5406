"""REST bodies of the wallet itself (strict: an unknown field is refused)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import AmountField, MoneyField, StrictSerializer, UTCDateTimeField


class WalletCurrencyQuery(StrictSerializer):
    currency = serializers.CharField(min_length=3, max_length=3, required=False, default="XOF")


class WalletOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    currency = serializers.CharField()
    status = serializers.ChoiceField(choices=["active", "frozen", "closed"])
    balance = MoneyField()
    available = MoneyField(help_text=_("The balance less what pending withdrawals hold"))
    dormant_since = UTCDateTimeField(allow_null=True)


class WalletBalanceOut(serializers.Serializer):
    balance = MoneyField()
    available = MoneyField()


class WalletUsageOut(serializers.Serializer):
    tier = serializers.IntegerField(help_text=_("Your verification level (kyc)"))
    balance = MoneyField(help_text=_("E-money held: the wallet and your HokweSplit vaults"))
    inflow_this_month = MoneyField()
    outflow_today = MoneyField()
    max_balance = MoneyField()
    monthly_inflow = MoneyField(help_text=_("The monthly inflow limit"))
    daily_outflow = MoneyField(help_text=_("The daily outflow limit"))
    single_transaction = MoneyField()


class WalletTopUpIn(StrictSerializer):
    amount = AmountField(min_value=1)
    currency = serializers.CharField(min_length=3, max_length=3, required=False, default="XOF")


class WalletTopUpOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = serializers.ChoiceField(choices=["pending", "succeeded", "failed"])
    amount = MoneyField()
    intent = serializers.UUIDField(allow_null=True, help_text=_("The payment intent to pay (payments)"))
    pay_url = serializers.CharField(help_text=_("Where to pay it by mobile money"))
    created_at = UTCDateTimeField()
    credited_at = UTCDateTimeField(allow_null=True)


class WalletWithdrawalIn(StrictSerializer):
    amount = AmountField(min_value=1)
    currency = serializers.CharField(min_length=3, max_length=3, required=False, default="XOF")
    phone = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text=_("Your own number; default: your login number"),
    )
    step_up_token = serializers.CharField(max_length=500, required=False, allow_blank=True, allow_null=True)


class WalletWithdrawalOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = serializers.ChoiceField(choices=["requested", "paid", "failed"])
    amount = MoneyField()
    phone = serializers.CharField(help_text=_("Masked"))
    failure_reason = serializers.CharField()
    created_at = UTCDateTimeField()
    completed_at = UTCDateTimeField(allow_null=True)


class WalletStatementQuery(StrictSerializer):
    currency = serializers.CharField(min_length=3, max_length=3, required=False, default="XOF")
    start = serializers.DateTimeField(required=False)
    end = serializers.DateTimeField(required=False)
    after = serializers.IntegerField(
        required=False, min_value=0, help_text=_("next_after of the previous page")
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)
    language = serializers.ChoiceField(choices=["fr", "en"], required=False)


class WalletStatementLineOut(serializers.Serializer):
    sequence = serializers.IntegerField()
    date = UTCDateTimeField()
    code = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    amount = MoneyField(help_text=_("Signed: money in > 0, money out < 0"))
    balance = MoneyField(help_text=_("The running balance after the line"))


class WalletStatementOut(serializers.Serializer):
    opening_balance = MoneyField()
    lines = WalletStatementLineOut(many=True)
    next_after = serializers.IntegerField(allow_null=True)


class WalletRentDueOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    lease = serializers.UUIDField()
    period = serializers.DateField()
    due_date = serializers.DateField()
    status = serializers.CharField()
    total = MoneyField()
    paid = MoneyField()
    outstanding = MoneyField()


class WalletPayDueIn(StrictSerializer):
    currency = serializers.CharField(min_length=3, max_length=3, required=False, default="XOF")
    # identity's step-up proof (action wallet.rent.pay, target the due, amount owed) above
    # WALLET_RENT_STEP_UP_ABOVE
    step_up_token = serializers.CharField(max_length=500, required=False, allow_blank=True, allow_null=True)


class WalletPaidDueOut(serializers.Serializer):
    intent = serializers.UUIDField(source="public_id")
    status = serializers.CharField()
    amount = MoneyField()
    receipt_number = serializers.CharField()
    receipt_url = serializers.CharField()
