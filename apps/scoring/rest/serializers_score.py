"""REST shapes of the tenant's own score (component names start with ScoringMy / ScoringDispute,
unique across modules). Amounts are {amount, currency, formatted}; ids are public UUIDs."""

from rest_framework import serializers

from apps.core.rest import MoneyField, StrictSerializer, UTCDateTimeField

from ..contracts import RentLineCode, ScoreBand
from ..models import RentLineDispute

BANDS = [b.value for b in ScoreBand]
LINE_CODES = [c.value for c in RentLineCode]
DISPUTE_STATUSES = [c.value for c in RentLineDispute.Status]
DISPUTE_REASONS = [c.value for c in RentLineDispute.Reason]


class ScoringReasonOut(serializers.Serializer):
    code = serializers.CharField()
    direction = serializers.ChoiceField(choices=["lowers", "raises"])
    text = serializers.CharField(help_text="In the caller's language")
    weight = serializers.FloatField(help_text="Points contributed (signed)")


class ScoringMyScoreOut(serializers.Serializer):
    score = serializers.IntegerField(allow_null=True, help_text="300-850; null for a thin file")
    band = serializers.ChoiceField(choices=BANDS)
    band_label = serializers.CharField()
    reasons = ScoringReasonOut(many=True)
    loyalty_tier = serializers.CharField(allow_blank=True)
    model_version = serializers.CharField(allow_blank=True)
    computed_at = serializers.CharField(allow_blank=True, help_text="ISO timestamp (UTC)")


class ScoringHistoryPointOut(serializers.Serializer):
    score = serializers.IntegerField(allow_null=True)
    band = serializers.ChoiceField(choices=BANDS)
    computed_at = UTCDateTimeField()


class ScoringRentLineOut(serializers.Serializer):
    month = serializers.CharField()
    lease = serializers.UUIDField()
    organization = serializers.UUIDField()
    due_date = serializers.DateField()
    amount = MoneyField()
    paid = MoneyField()
    days_late = serializers.IntegerField()
    code = serializers.ChoiceField(choices=LINE_CODES)
    dispute = serializers.UUIDField(allow_null=True, help_text="The line's latest dispute")
    dispute_status = serializers.ChoiceField(choices=DISPUTE_STATUSES, allow_null=True)
    can_dispute = serializers.BooleanField()


class ScoringDisputeIn(StrictSerializer):
    lease = serializers.UUIDField()
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="YYYY-MM, a month of your rent lines")
    reason = serializers.ChoiceField(choices=DISPUTE_REASONS)
    details = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ScoringDisputeOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    lease = serializers.UUIDField()
    month = serializers.CharField()
    reason = serializers.ChoiceField(choices=DISPUTE_REASONS)
    details = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=DISPUTE_STATUSES)
    respond_by = serializers.DateField()
    decided_at = UTCDateTimeField(allow_null=True)
    decision_note = serializers.CharField(allow_blank=True)
    created_at = UTCDateTimeField()
