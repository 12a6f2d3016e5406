"""REST bodies of the emergency fund and guarantors (strict: an unknown field is refused)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import AmountField, MoneyField, StrictSerializer, UTCDateTimeField

RULES = ["no_lock", "notice"]
FREQUENCIES = ["weekly", "monthly"]


class FundCurrencyQuery(StrictSerializer):
    currency = serializers.CharField(min_length=3, max_length=3, required=False, default="XOF")


class FundOpenIn(StrictSerializer):
    currency = serializers.CharField(min_length=3, max_length=3, required=False, default="XOF")
    goal = AmountField(min_value=0, required=False, default=0)
    withdrawal_rule = serializers.ChoiceField(choices=RULES, required=False, default="no_lock")
    notice_days = serializers.IntegerField(min_value=0, max_value=90, required=False, default=0)


class FundSettingsIn(StrictSerializer):
    currency = serializers.CharField(min_length=3, max_length=3, required=False, default="XOF")
    goal = AmountField(min_value=0, required=False)
    withdrawal_rule = serializers.ChoiceField(choices=RULES, required=False)
    notice_days = serializers.IntegerField(min_value=0, max_value=90, required=False)


class FundAutomaticIn(StrictSerializer):
    currency = serializers.CharField(min_length=3, max_length=3, required=False, default="XOF")
    amount = AmountField(min_value=0, help_text=_("Per period; 0 stops the automatic savings"))
    frequency = serializers.ChoiceField(choices=FREQUENCIES, required=False, allow_blank=True, default="")
    start = serializers.DateField(required=False, help_text=_("The first saving's date (default today)"))


class FundMoveIn(StrictSerializer):
    currency = serializers.CharField(min_length=3, max_length=3, required=False, default="XOF")
    amount = AmountField(min_value=1)


class FundOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    currency = serializers.CharField()
    balance = MoneyField()
    pledged = MoneyField(help_text=_("Held for loans (pledged savings)"))
    available = MoneyField(help_text=_("What you may withdraw now"))
    goal = MoneyField()
    withdrawal_rule = serializers.ChoiceField(choices=RULES)
    notice_days = serializers.IntegerField()
    pending_rule = serializers.CharField(help_text=_("A looser rule asked, not yet in force"))
    pending_rule_from = serializers.DateField(allow_null=True)
    auto_amount = MoneyField()
    auto_frequency = serializers.CharField()
    auto_next_on = serializers.DateField(allow_null=True)
    months_saving = serializers.IntegerField()


class FundWithdrawalOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = serializers.ChoiceField(choices=["pending", "paid", "cancelled", "failed"])
    amount = MoneyField(currency="fund.currency")
    paid_amount = MoneyField(currency="fund.currency")
    currency = serializers.CharField(source="fund.currency")
    available_on = serializers.DateField()
    created_at = UTCDateTimeField()
    settled_at = UTCDateTimeField(allow_null=True)


class FundMovementOut(serializers.Serializer):
    transfer = serializers.UUIDField()
    amount = MoneyField()
    currency = serializers.CharField()
    fund = FundOut()


class GuarantorInviteIn(StrictSerializer):
    phone = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class GuaranteeAcceptIn(StrictSerializer):
    step_up_token = serializers.CharField(
        max_length=200,
        help_text=_(
            "identity's step-up of lending.guarantee.accept on the request's id with the loan's principal"
        ),
    )
    pledge = AmountField(
        min_value=0, required=False, default=0, help_text=_("Savings of your own fund pledged")
    )


class GuarantorOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    loan = serializers.UUIDField(source="loan.public_id")
    phone = serializers.CharField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=["invited", "accepted", "declined", "revoked"])
    pledge_amount = MoneyField(currency="loan.currency")
    currency = serializers.CharField(source="loan.currency")
    responded_at = UTCDateTimeField(allow_null=True)


class GuaranteeRequestOut(serializers.Serializer):
    """A guarantee asked of you: who asks, for what loan."""

    id = serializers.UUIDField(source="public_id")
    status = serializers.ChoiceField(choices=["invited", "accepted", "declined"])
    borrower_name = serializers.CharField(source="loan.borrower.full_name")
    loan_number = serializers.CharField(source="loan.number")
    product = serializers.CharField(source="loan.product.name")
    principal = MoneyField("loan.principal", currency="loan.currency")
    term = serializers.IntegerField(source="loan.term")
    currency = serializers.CharField(source="loan.currency")
    pledge_amount = MoneyField(currency="loan.currency")
    created_at = UTCDateTimeField()
