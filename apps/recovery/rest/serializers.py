"""REST shapes of recovery. Component names start with Recovery (unique across modules).
Amounts are {amount, currency, formatted}; ids are public UUIDs."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.rest import AmountField, MoneyField, StrictIntegerField, StrictSerializer, UTCDateTimeField

from ..contracts import CallOutcome, CaseOutcome, CaseStatus, LegalKind, LegalStatus, StepAction, VisitOutcome
from ..services import DIMENSIONS

CASE_STATUS_FILTER = ["live", *[v.value for v in CaseStatus]]
LEGAL_STATUSES = [v.value for v in LegalStatus]
LEGAL_KINDS = [v.value for v in LegalKind]
CALL_OUTCOMES = [v.value for v in CallOutcome]
VISIT_OUTCOMES = [v.value for v in VisitOutcome]
CLOSE_OUTCOMES = [CaseOutcome.SETTLED.value, CaseOutcome.WRITTEN_OFF.value]
STEP_ACTIONS = [v.value for v in StepAction]
AGING_BY = list(DIMENSIONS)


class RecoveryRef(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


def _user_ref(user) -> dict | None:
    return {"id": str(user.public_id), "name": user.full_name} if user is not None else None


# --- cases ---------------------------------------------------------------------------------------


class RecoveryStepRef(serializers.Serializer):
    day_offset = serializers.IntegerField()
    action = serializers.CharField()
    label = serializers.CharField()


class RecoveryTenantRef(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True)
    name = serializers.CharField()
    phone = serializers.CharField()


class RecoveryCaseOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organization = serializers.SerializerMethodField()
    kind = serializers.CharField(help_text="rent (a lease's arrears) or loan (a loan handed over by lending)")
    lease = serializers.UUIDField(allow_null=True)
    lease_reference = serializers.CharField()
    loan = serializers.UUIDField(allow_null=True)
    loan_reference = serializers.CharField()
    tenant = serializers.SerializerMethodField()
    property = serializers.UUIDField(allow_null=True)
    property_name = serializers.CharField()
    unit = serializers.UUIDField(allow_null=True)
    unit_label = serializers.CharField()
    city = serializers.CharField()
    neighbourhood = serializers.CharField()
    departed = serializers.BooleanField()
    status = serializers.CharField()
    outcome = serializers.CharField()
    amount_at_open = MoneyField()
    amount_owed = MoneyField()
    recovered = MoneyField()
    oldest_due_date = serializers.DateField(allow_null=True)
    collector = serializers.SerializerMethodField()
    last_step = serializers.SerializerMethodField()
    next_action_on = serializers.DateField(allow_null=True)
    paused_until = serializers.DateField(allow_null=True)
    broken_promises = serializers.IntegerField()
    opened_on = serializers.DateField()
    closed_at = UTCDateTimeField(allow_null=True)

    def get_organization(self, obj) -> RecoveryRef:
        return {"id": str(obj.organization.public_id), "name": obj.organization.name}

    def get_tenant(self, obj) -> RecoveryTenantRef:
        return {
            "id": str(obj.tenant.public_id) if obj.tenant_id else None,
            "name": obj.tenant_name,
            "phone": obj.tenant_phone,
        }

    @extend_schema_field(RecoveryRef(allow_null=True))
    def get_collector(self, obj):
        return _user_ref(obj.collector) if obj.collector_id else None

    @extend_schema_field(RecoveryStepRef(allow_null=True))
    def get_last_step(self, obj):
        step = obj.last_step if obj.last_step_id else None
        if step is None:
            return None
        return {"day_offset": step.day_offset, "action": step.action, "label": step.label}


class RecoveryPromiseOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    amount = MoneyField()
    promised_on = serializers.DateField()
    status = serializers.CharField()
    channel = serializers.CharField()
    created_at = UTCDateTimeField()
    resolved_at = UTCDateTimeField(allow_null=True)


class RecoveryInstallmentOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    seq = serializers.IntegerField()
    due_on = serializers.DateField()
    amount = MoneyField(currency="plan.currency")
    paid = MoneyField(currency="plan.currency")
    status = serializers.CharField()


class RecoveryPlanOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    total = MoneyField()
    status = serializers.CharField()
    channel = serializers.CharField()
    accepted_at = UTCDateTimeField(allow_null=True)
    created_at = UTCDateTimeField()
    installments = RecoveryInstallmentOut(many=True)


class RecoveryNoticeOut(serializers.Serializer):
    number = serializers.CharField()
    issued_on = serializers.DateField()
    pay_by = serializers.DateField()
    amount = MoneyField()
    country = serializers.CharField()
    pdf = serializers.SerializerMethodField(help_text="The PDF through this API (authenticated)")

    def get_pdf(self, obj) -> str:
        from django.urls import reverse

        return reverse(
            "recovery-notice-pdf",
            kwargs={"version": "v1", "case_id": obj.case.public_id, "number": obj.number},
        )


class RecoveryLegalOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.CharField()
    firm = serializers.CharField()
    contact = serializers.CharField()
    reference = serializers.CharField()
    status = serializers.CharField()
    cost = MoneyField(currency="case.currency")
    notes = serializers.CharField()
    created_at = UTCDateTimeField()


class RecoveryTaskOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.CharField()


class RecoveryCaseDetailOut(RecoveryCaseOut):
    portal_url = serializers.CharField()
    promises = RecoveryPromiseOut(many=True)
    active_plan = RecoveryPlanOut(allow_null=True)
    notices = RecoveryNoticeOut(many=True)
    legal_actions = RecoveryLegalOut(many=True)
    open_tasks = RecoveryTaskOut(many=True)


class RecoveryEventOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.CharField()
    happened_at = UTCDateTimeField()
    actor = serializers.SerializerMethodField()
    step = serializers.SerializerMethodField()
    amount = MoneyField(currency="case.currency", allow_null=True)
    text = serializers.CharField()
    data = serializers.DictField()

    @extend_schema_field(RecoveryRef(allow_null=True))
    def get_actor(self, obj):
        return _user_ref(obj.actor) if obj.actor_id else None

    @extend_schema_field(RecoveryStepRef(allow_null=True))
    def get_step(self, obj):
        step = obj.step if obj.step_id else None
        return {"day_offset": step.day_offset, "action": step.action, "label": step.label} if step else None


class RecoveryCaseQuery(StrictSerializer):
    organization = serializers.UUIDField(required=False)
    status = serializers.ChoiceField(
        choices=CASE_STATUS_FILTER, required=False, help_text="live = not closed"
    )
    kind = serializers.ChoiceField(
        choices=["rent", "loan"], required=False, help_text="rent or loan cases only"
    )
    collector = serializers.UUIDField(required=False)
    property = serializers.UUIDField(required=False)
    q = serializers.CharField(
        required=False, max_length=100, help_text="Tenant, phone, lease, loan number or property"
    )
    without_next_action = serializers.BooleanField(required=False)
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class RecoveryPageQuery(StrictSerializer):
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class RecoveryAssignIn(StrictSerializer):
    collector = serializers.UUIDField(allow_null=True, help_text="A collector of the organization, or null")


class RecoveryNoteIn(StrictSerializer):
    text = serializers.CharField(max_length=2000)
    next_action_on = serializers.DateField(required=False, allow_null=True)


class RecoveryNoteOut(serializers.Serializer):
    event = RecoveryEventOut()
    case = RecoveryCaseOut()


class RecoveryCloseIn(StrictSerializer):
    outcome = serializers.ChoiceField(choices=CLOSE_OUTCOMES)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RecoveryPromiseIn(StrictSerializer):
    amount = AmountField(min_value=1, max_value=10**12)
    promised_on = serializers.DateField()


class RecoveryInstallmentIn(StrictSerializer):
    due_on = serializers.DateField()
    amount = AmountField(min_value=1, max_value=10**12)


class RecoveryPlanIn(StrictSerializer):
    installments = RecoveryInstallmentIn(many=True)


class RecoveryPayLinkIn(StrictSerializer):
    amount = AmountField(
        min_value=1, max_value=10**12, required=False, allow_null=True, help_text="Default: all that is owed"
    )


class RecoveryPayLinkOut(serializers.Serializer):
    intent = serializers.UUIDField(source="public_id")
    amount = MoneyField()
    pay_url = serializers.CharField()
    expires_at = UTCDateTimeField()


class RecoveryNoticeIn(StrictSerializer):
    pay_within_days = StrictIntegerField(min_value=1, max_value=60, default=8)


class RecoveryLegalIn(StrictSerializer):
    kind = serializers.ChoiceField(choices=LEGAL_KINDS, default=LegalKind.BAILIFF.value)
    firm = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class RecoveryLegalPatch(StrictSerializer):
    status = serializers.ChoiceField(choices=LEGAL_STATUSES, required=False)
    firm = serializers.CharField(max_length=150, required=False, allow_blank=True)
    contact = serializers.CharField(max_length=150, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    cost = AmountField(min_value=0, max_value=10**12, required=False)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)


# --- the collector app -----------------------------------------------------------------------------


class RecoveryWorklistQuery(StrictSerializer):
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False
    )
    longitude = serializers.DecimalField(
        max_digits=10, decimal_places=6, min_value=-180, max_value=180, required=False
    )


class RecoveryWorkItemOut(serializers.Serializer):
    case = serializers.UUIDField(source="case.public_id")
    lease_reference = serializers.CharField(source="case.lease_reference")
    tenant_name = serializers.CharField(source="case.tenant_name")
    tenant_phone = serializers.CharField(source="case.tenant_phone")
    property_name = serializers.CharField(source="case.property_name")
    unit_label = serializers.CharField(source="case.unit_label")
    neighbourhood = serializers.CharField(source="case.neighbourhood")
    city = serializers.CharField(source="case.city")
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, source="case.latitude", allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, source="case.longitude", allow_null=True
    )
    status = serializers.CharField(source="case.status")
    amount_owed = MoneyField("case.amount_owed", currency="case.currency")
    oldest_due_date = serializers.DateField(source="case.oldest_due_date", allow_null=True)
    next_action_on = serializers.DateField(source="case.next_action_on", allow_null=True)
    score = serializers.IntegerField()
    distance_m = serializers.IntegerField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())
    tasks = RecoveryTaskOut(many=True)
    promise_due = serializers.DateField(allow_null=True)


class RecoveryCallIn(StrictSerializer):
    outcome = serializers.ChoiceField(choices=CALL_OUTCOMES)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    called_at = UTCDateTimeField(required=False, allow_null=True)


class RecoveryCallOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    case = serializers.UUIDField(source="case.public_id")
    outcome = serializers.CharField()
    note = serializers.CharField()
    called_at = UTCDateTimeField()


class RecoveryVisitIn(StrictSerializer):
    outcome = serializers.ChoiceField(choices=VISIT_OUTCOMES)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90)
    longitude = serializers.DecimalField(max_digits=10, decimal_places=6, min_value=-180, max_value=180)
    accuracy_m = StrictIntegerField(min_value=0, max_value=100_000, required=False, allow_null=True)
    visited_at = UTCDateTimeField(required=False, allow_null=True, help_text="The device's time")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RecoveryVisitOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    case = serializers.UUIDField(source="case.public_id")
    outcome = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    accuracy_m = serializers.IntegerField(allow_null=True)
    distance_m = serializers.IntegerField(allow_null=True, help_text="From the property, when it is located")
    visited_at = UTCDateTimeField()
    note = serializers.CharField()


class RecoveryCashIn(StrictSerializer):
    amount = AmountField(min_value=1, max_value=10**12)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=10, decimal_places=6, min_value=-180, max_value=180, required=False, allow_null=True
    )


class RecoveryCashOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    case = serializers.UUIDField(source="case.public_id")
    amount = MoneyField()
    payment = serializers.UUIDField()
    receipt_number = serializers.CharField()
    collected_at = UTCDateTimeField()


class RecoveryTaskDoneOut(RecoveryTaskOut):
    case = serializers.UUIDField(source="case.public_id")
    done_at = UTCDateTimeField(allow_null=True)


# --- handovers -----------------------------------------------------------------------------------------


class RecoveryHandoverQuery(StrictSerializer):
    organization = serializers.UUIDField(required=False)
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class RecoveryHandoverOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organization = serializers.SerializerMethodField()
    collector = serializers.SerializerMethodField()
    received_by = serializers.SerializerMethodField()
    day = serializers.DateField()
    collected = MoneyField()
    ledger_balance = MoneyField()
    declared = MoneyField()
    difference = MoneyField()
    status = serializers.CharField()
    transfer = serializers.UUIDField()
    note = serializers.CharField()
    created_at = UTCDateTimeField()

    def get_organization(self, obj) -> RecoveryRef:
        return {"id": str(obj.organization.public_id), "name": obj.organization.name}

    def get_collector(self, obj) -> RecoveryRef:
        return _user_ref(obj.collector)

    def get_received_by(self, obj) -> RecoveryRef:
        return _user_ref(obj.received_by)


class RecoveryHandoverPreviewQuery(StrictSerializer):
    organization = serializers.UUIDField()
    collector = serializers.UUIDField()


class RecoveryHandoverPreviewOut(serializers.Serializer):
    collector = serializers.UUIDField()
    collections = serializers.IntegerField(help_text="Cash receipts not yet handed over")
    collected = MoneyField()
    ledger_balance = MoneyField(help_text="What the ledger says the collector holds")


class RecoveryHandoverIn(StrictSerializer):
    organization = serializers.UUIDField()
    collector = serializers.UUIDField()
    declared = AmountField(min_value=1, max_value=10**12, help_text="Cash counted")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# --- ladder ----------------------------------------------------------------------------------------------


class RecoveryOrgQuery(StrictSerializer):
    organization = serializers.UUIDField(required=False, help_text="Default: your only organization")


class RecoveryStepOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    day_offset = serializers.IntegerField()
    action = serializers.CharField()
    label = serializers.CharField()
    pay_within_days = serializers.IntegerField()
    min_amount = serializers.IntegerField()
    is_active = serializers.BooleanField()


class RecoveryLadderOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    country = serializers.CharField()
    quiet_start = serializers.TimeField()
    quiet_end = serializers.TimeField()
    skip_sundays = serializers.BooleanField()
    skip_holidays = serializers.BooleanField()
    steps = serializers.SerializerMethodField()

    @extend_schema_field(RecoveryStepOut(many=True))
    def get_steps(self, obj):
        return RecoveryStepOut([s for s in obj.steps.all() if s.is_active], many=True).data


class RecoveryStepIn(StrictSerializer):
    day_offset = StrictIntegerField(min_value=-60, max_value=730)
    action = serializers.ChoiceField(choices=STEP_ACTIONS)
    label = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    pay_within_days = StrictIntegerField(min_value=1, max_value=60, default=8)
    min_amount = AmountField(min_value=0, max_value=10**12, default=0)


class RecoveryLadderIn(StrictSerializer):
    organization = serializers.UUIDField()
    name = serializers.CharField(max_length=100, required=False)
    quiet_start = serializers.TimeField(required=False)
    quiet_end = serializers.TimeField(required=False)
    skip_sundays = serializers.BooleanField(required=False)
    skip_holidays = serializers.BooleanField(required=False)
    country = serializers.RegexField(r"^[A-Z]{2}$", required=False)
    steps = RecoveryStepIn(many=True, allow_empty=False)


class RecoveryHolidayIn(StrictSerializer):
    organization = serializers.UUIDField()
    date = serializers.DateField()
    name = serializers.CharField(max_length=100)


class RecoveryHolidayOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    date = serializers.DateField()
    name = serializers.CharField()


# --- reports ---------------------------------------------------------------------------------------------


class RecoveryAgingQuery(StrictSerializer):
    organization = serializers.UUIDField(required=False, help_text="Default: your only organization")
    by = serializers.ChoiceField(choices=AGING_BY, default="property")


class RecoveryAgingRowOut(serializers.Serializer):
    key = serializers.CharField(help_text="The public id of what the row groups by")
    label = serializers.CharField()
    currency = serializers.CharField()
    current = serializers.IntegerField(help_text="Not yet due or within grace")
    d1_30 = serializers.IntegerField()
    d31_60 = serializers.IntegerField()
    d61_90 = serializers.IntegerField()
    d90_plus = serializers.IntegerField()
    total = serializers.IntegerField()
    overdue = serializers.IntegerField()
    leases = serializers.IntegerField()


class RecoveryAgingOut(serializers.Serializer):
    on = serializers.DateField()
    by = serializers.CharField()
    totals = RecoveryAgingRowOut(many=True, help_text="One per currency; amounts in minor units")
    rows = RecoveryAgingRowOut(many=True)


def aging_data(report) -> dict:
    return {"on": report.on, "by": report.by, "totals": list(report.totals.values()), "rows": report.rows}


class RecoveryStepRateOut(serializers.Serializer):
    day_offset = serializers.IntegerField()
    action = serializers.CharField()
    label = serializers.CharField()
    cases = serializers.IntegerField()
    owed = MoneyField()
    recovered = MoneyField()
    rate_bps = serializers.IntegerField(help_text="Recovered / owed at the step, in basis points")


class RecoveryCollectorRateOut(serializers.Serializer):
    collector = serializers.UUIDField()
    name = serializers.CharField()
    cases = serializers.IntegerField()
    live = serializers.IntegerField()
    recovered = MoneyField()
    rate_bps = serializers.IntegerField()


class RecoveryCaseBrief(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    lease_reference = serializers.CharField()
    tenant_name = serializers.CharField()
    property_name = serializers.CharField()
    unit_label = serializers.CharField()
    status = serializers.CharField()
    amount_owed = MoneyField()
    next_action_on = serializers.DateField(allow_null=True)


class RecoveryTrendPointOut(serializers.Serializer):
    on = serializers.DateField()
    currency = serializers.CharField()
    current = serializers.IntegerField()
    d1_30 = serializers.IntegerField()
    d31_60 = serializers.IntegerField()
    d61_90 = serializers.IntegerField()
    d90_plus = serializers.IntegerField()
    leases = serializers.IntegerField()


class RecoveryDashboardOut(serializers.Serializer):
    today = serializers.DateField()
    recovered_month = MoneyField()
    live_cases = serializers.IntegerField()
    owed = MoneyField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    closed_month = serializers.IntegerField()
    by_step = RecoveryStepRateOut(many=True)
    by_collector = RecoveryCollectorRateOut(many=True)
    without_next_action = serializers.IntegerField()
    without_next_action_cases = RecoveryCaseBrief(many=True)
    aging = RecoveryAgingOut()
    trend = RecoveryTrendPointOut(many=True)


def dashboard_data(d: dict) -> dict:
    """The dashboard's rows, each carrying the organization's currency (for MoneyField)."""
    currency = d["currency"]
    return {
        **d,
        "by_status": {str(k): v for k, v in d["by_status"].items()},
        "by_step": [
            {
                "day_offset": r["day_offset"],
                "action": str(r["action"]),
                "label": r["step"].label,
                "cases": r["cases"],
                "owed": r["owed"],
                "recovered": r["recovered"],
                "currency": currency,
                "rate_bps": r["rate_bps"],
            }
            for r in d["by_step"]
        ],
        "by_collector": [{**r, "currency": currency, "name": r["name"] or ""} for r in d["by_collector"]],
        "aging": aging_data(d["aging"]),
    }
