"""REST bodies of landlord advances (strict: an unknown field is refused)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import AmountField, MoneyField, StrictSerializer

from .serializers_loans import LendingLoanDetailOut, LendingLoanOut, LendingReasonOut, LendingSimulationOut


class LendingAdvanceOrganizationOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()


class LendingAdvanceSimulationQuery(StrictSerializer):
    amount = serializers.IntegerField(min_value=1, max_value=10**12)
    term = serializers.IntegerField(min_value=1, max_value=520)
    language = serializers.ChoiceField(choices=["fr", "en"], required=False)


class LendingRentMonthOut(serializers.Serializer):
    period = serializers.DateField(help_text=_("The first day of the month"))
    billed = MoneyField()
    collected = MoneyField()
    net = MoneyField(help_text=_("The owner's share of what was collected (less the commission)"))


class LendingAdvanceEligibilityOut(serializers.Serializer):
    organization = serializers.UUIDField()
    product = serializers.UUIDField()
    currency = serializers.CharField()
    eligible = serializers.BooleanField()
    minimum = MoneyField(help_text=_("The product's smallest advance"))
    maximum = MoneyField(help_text=_("The largest advance possible now"))
    limit = MoneyField(help_text=_("What the rents allow now, less what open advances owe"))
    monthly_net = MoneyField(help_text=_("Average monthly net rent collected over 12 months"))
    expected_net = MoneyField(help_text=_("Net rent expected from the active leases over the next months"))
    owed = MoneyField(help_text=_("What open advances still owe"))
    months_collected = serializers.IntegerField()
    collection_rate_bps = serializers.IntegerField(help_text=_("Collected over billed, in basis points"))
    reasons = LendingReasonOut(many=True)
    history = LendingRentMonthOut(many=True)


class LendingAdvanceSimulationOut(LendingSimulationOut):
    eligibility = LendingAdvanceEligibilityOut()


class LendingAdvanceOut(LendingLoanOut):
    organization = serializers.UUIDField()


class LendingAdvanceDetailOut(LendingLoanDetailOut):
    organization = serializers.UUIDField()


class LendingAdvanceApplyIn(StrictSerializer):
    organization = serializers.UUIDField(help_text=_("The owner organization's id"))
    product = serializers.UUIDField(help_text=_("The product's id"))
    amount = AmountField(min_value=1)
    term = serializers.IntegerField(min_value=1, max_value=520, help_text=_("Number of instalments"))
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
