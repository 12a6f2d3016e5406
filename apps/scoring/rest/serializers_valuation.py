"""REST bodies of HokweValuation (read only)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import MoneyField

from ..contracts import VALUATION_METHODS


class ScoringValuationOut(serializers.Serializer):
    unit = serializers.UUIDField()
    rent = MoneyField(allow_null=True, help_text=_("The monthly rent estimate"))
    rent_low = MoneyField(allow_null=True, help_text=_("The estimate's range: 10 % of rents fall below"))
    rent_high = MoneyField(allow_null=True, help_text=_("The estimate's range: 10 % of rents fall above"))
    price = MoneyField(
        allow_null=True, help_text=_("A sale price estimate: 12 months of rent at the kind's gross yield")
    )
    price_low = MoneyField(allow_null=True)
    price_high = MoneyField(allow_null=True)
    current_rent = MoneyField(allow_null=True, help_text=_("The active lease's rent, if the unit is let"))
    method = serializers.ChoiceField(choices=VALUATION_METHODS)
    comparables = serializers.IntegerField(help_text=_("Comparable leases used"))
    model_version = serializers.CharField()
    computed_on = serializers.DateField()
