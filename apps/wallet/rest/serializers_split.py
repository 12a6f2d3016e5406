"""REST shapes of HokweSplit. Component names start with WalletSplit (unique across modules).
Amounts are {amount, currency, formatted}; ids are public UUIDs."""

from rest_framework import serializers

from apps.core.rest import MoneyField, StrictSerializer, UTCDateTimeField

from ..models import SplitInstalment, SplitPlan

FREQUENCIES = [c.value for c in SplitPlan.Frequency]
SOURCES = [c.value for c in SplitPlan.Source]
WITHDRAWAL_RULES = [c.value for c in SplitPlan.WithdrawalRule]
PLAN_STATUSES = [c.value for c in SplitPlan.Status]
INSTALMENT_STATUSES = [c.value for c in SplitInstalment.Status]


class WalletSplitCreateIn(StrictSerializer):
    due = serializers.UUIDField(help_text="The rent due to save for (one of your leases' open dues).")
    frequency = serializers.ChoiceField(choices=FREQUENCIES)
    source = serializers.ChoiceField(
        choices=SOURCES,
        default="wallet",
        help_text="wallet: auto-debit; momo: a mobile money request each time",
    )
    withdrawal_rule = serializers.ChoiceField(
        choices=WITHDRAWAL_RULES,
        default="fee",
        help_text="early withdrawal: free, with a fee, or locked until the due date",
    )


class WalletSplitInstalmentOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    number = serializers.IntegerField(source="seq")
    on = serializers.DateField()
    amount = MoneyField(currency="plan.currency")
    status = serializers.ChoiceField(choices=INSTALMENT_STATUSES)
    paid_on = serializers.DateField(allow_null=True)
    attempts = serializers.IntegerField()


class WalletSplitPlanOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    lease = serializers.UUIDField()
    due = serializers.UUIDField()
    due_date = serializers.DateField()
    target = MoneyField()
    saved = MoneyField(help_text="What the vault holds now")
    frequency = serializers.ChoiceField(choices=FREQUENCIES)
    source = serializers.ChoiceField(choices=SOURCES)
    withdrawal_rule = serializers.ChoiceField(choices=WITHDRAWAL_RULES)
    withdrawal_fee_bps = serializers.IntegerField()
    status = serializers.ChoiceField(choices=PLAN_STATUSES)
    streak = serializers.IntegerField()
    best_streak = serializers.IntegerField()
    next_instalment = WalletSplitInstalmentOut(allow_null=True)
    rent_intent = serializers.UUIDField(allow_null=True)
    created_at = UTCDateTimeField()
    closed_at = UTCDateTimeField(allow_null=True)


class WalletSplitWithdrawalOut(serializers.Serializer):
    plan = WalletSplitPlanOut()
    returned = MoneyField(currency="plan.currency")
    fee = MoneyField(currency="plan.currency")
