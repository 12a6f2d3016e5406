"""REST bodies of tenant screening. Component names start with ScoringScreening (unique across
modules). Amounts are {amount, currency, formatted}; ids are public UUIDs."""

from rest_framework import serializers

from apps.core.rest import AmountField, MoneyField, StrictIntegerField, StrictSerializer, UTCDateTimeField

STATES = ["pending", "consented", "issued", "withdrawn", "expired"]
RECOMMENDATIONS = ["accept", "conditions", "decline"]
DECISIONS = ["accepted", "conditions", "declined"]


class ScoringScreeningCreateIn(StrictSerializer):
    unit = serializers.UUIDField(help_text="One of your organization's units.")
    phone = serializers.CharField(max_length=20, help_text="The applicant's phone number (E.164 or local).")
    applicant_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    rent = AmountField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Monthly rent asked (the unit's when absent).",
    )
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class ScoringScreeningDecisionIn(StrictSerializer):
    decision = serializers.ChoiceField(choices=DECISIONS)


class ScoringScreeningConsentIn(StrictSerializer):
    challenge_id = serializers.CharField(max_length=64)
    code = serializers.CharField(max_length=12)
    declared_income = AmountField(help_text="Your monthly income, in the rent's currency (minor units).")


class ScoringScreeningChallengeOut(serializers.Serializer):
    challenge_id = serializers.CharField()
    expires_at = UTCDateTimeField()
    phone_hint = serializers.CharField()
    method = serializers.CharField()


class ScoringScreeningPolicyIn(StrictSerializer):
    accept_min_score = StrictIntegerField(min_value=300, max_value=850, required=False)
    decline_below_score = StrictIntegerField(min_value=300, max_value=850, required=False)
    accept_max_ratio_bps = StrictIntegerField(min_value=100, max_value=10_000, required=False)
    decline_above_ratio_bps = StrictIntegerField(min_value=100, max_value=10_000, required=False)
    decline_unpaid_months = StrictIntegerField(min_value=1, max_value=24, required=False)
    decline_written_off = serializers.BooleanField(required=False)
    conditions_deposit_months = StrictIntegerField(min_value=0, max_value=12, required=False)


class ScoringScreeningPolicyOut(serializers.Serializer):
    organization = serializers.UUIDField(source="organization.public_id")
    accept_min_score = serializers.IntegerField()
    decline_below_score = serializers.IntegerField()
    accept_max_ratio_bps = serializers.IntegerField()
    decline_above_ratio_bps = serializers.IntegerField()
    decline_unpaid_months = serializers.IntegerField()
    decline_written_off = serializers.BooleanField()
    conditions_deposit_months = serializers.IntegerField()


class ScoringScreeningRequestOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    number = serializers.CharField()
    organization = serializers.UUIDField(source="organization.public_id")
    unit = serializers.UUIDField()
    unit_label = serializers.CharField()
    rent = MoneyField()
    applicant_phone = serializers.CharField()
    applicant_name = serializers.CharField()
    state = serializers.ChoiceField(choices=STATES)
    consented_at = UTCDateTimeField(allow_null=True)
    consent_expires_at = UTCDateTimeField(allow_null=True)
    withdrawn_at = UTCDateTimeField(allow_null=True)
    decision = serializers.CharField(allow_blank=True)
    report = serializers.UUIDField(allow_null=True, help_text="The report's id once issued")
    created_at = UTCDateTimeField()


class ScoringScreeningMyRequestOut(serializers.Serializer):
    """What the applicant sees of a request sent to their phone."""

    id = serializers.UUIDField(source="public_id")
    organization_name = serializers.CharField(source="organization.name")
    unit_label = serializers.CharField()
    rent = MoneyField()
    state = serializers.ChoiceField(choices=STATES)
    shared = serializers.ListField(
        child=serializers.CharField(), help_text="What would be shared, in your language"
    )
    consented_at = UTCDateTimeField(allow_null=True)
    withdrawn_at = UTCDateTimeField(allow_null=True)
    created_at = UTCDateTimeField()


class ScoringScreeningReasonOut(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()


class ScoringScreeningLineOut(serializers.Serializer):
    month = serializers.CharField()
    due_date = serializers.DateField()
    amount = MoneyField()
    paid = MoneyField(currency="currency")
    days_late = serializers.IntegerField()
    code = serializers.CharField()


class ScoringScreeningCaseOut(serializers.Serializer):
    opened_on = serializers.DateField()
    status = serializers.CharField()
    outcome = serializers.CharField(allow_blank=True)
    amount_owed = MoneyField()
    recovered = MoneyField()
    broken_promises = serializers.IntegerField()


class ScoringScreeningReportOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    number = serializers.CharField()
    request = serializers.UUIDField()
    issued_at = UTCDateTimeField()
    expires_at = UTCDateTimeField()
    recommendation = serializers.ChoiceField(choices=RECOMMENDATIONS)
    conditions = serializers.ListField(child=serializers.CharField())
    deposit_months = serializers.IntegerField()
    reasons = ScoringScreeningReasonOut(many=True)
    applicant_name = serializers.CharField()
    applicant_verified_name = serializers.CharField(allow_blank=True)
    applicant_phone = serializers.CharField()
    kyc_tier = serializers.IntegerField()
    score = serializers.IntegerField(allow_null=True)
    band = serializers.CharField()
    score_reasons = ScoringScreeningReasonOut(many=True)
    declared_income = MoneyField(allow_null=True)
    rent = MoneyField()
    income_ratio_bps = serializers.IntegerField(
        allow_null=True, help_text="Rent over the declared monthly income, in basis points"
    )
    rent_lines = ScoringScreeningLineOut(many=True)
    recovery_cases = ScoringScreeningCaseOut(many=True)
    pdf_url = serializers.CharField()
