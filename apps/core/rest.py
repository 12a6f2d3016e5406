"""REST building blocks shared by every module's rest/ package."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """Refuses unknown fields instead of silently ignoring them (a typo in a field name
    must not be mistaken for "no value")."""

    default_error_messages = {"unknown_field": _("Unknown field.")}

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [self.error_messages["unknown_field"]] for name in unknown}, code="unknown_field"
                )
        return super().to_internal_value(data)


class MoneySerializer(StrictSerializer):
    amount = serializers.IntegerField(help_text=_("Integer amount in the currency's minor unit"))
    currency = serializers.CharField(min_length=3, max_length=3)
    formatted = serializers.SerializerMethodField()

    def get_formatted(self, obj) -> str:
        from django.utils.translation import get_language

        return obj.format(get_language() or "fr")
