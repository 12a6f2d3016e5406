"""REST shapes of the wallet's safeguarding part (finance staff)."""

from rest_framework import serializers

from apps.core.rest import MoneyField, StrictSerializer, UTCDateTimeField


class SafeguardingReportQuery(StrictSerializer):
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", required=False)
    gaps = serializers.BooleanField(required=False, help_text="only reports with a gap or no bank balance")


class SafeguardingReportOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    day = serializers.DateField()
    currency = serializers.CharField()
    status = serializers.CharField()
    outstanding = MoneyField()
    safeguarded = MoneyField(allow_null=True)
    gap = MoneyField(allow_null=True)
    accounts = serializers.IntegerField()
    source = serializers.CharField()
    computed_at = UTCDateTimeField()
