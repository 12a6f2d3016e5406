"""REST shapes of estate. Component names start with Estate (unique across modules)."""

from rest_framework import serializers

from apps.core.rest import AmountField, MoneyField, StrictIntegerField, StrictSerializer, UTCDateTimeField

from ..contracts import (
    DEDUCTION_KINDS,
    TICKET_STATUSES,
    AdjustmentKind,
    DueKind,
    DueStatus,
    FirstPeriodRule,
    LateFeePolicy,
    LeaseStatus,
    PaymentMethod,
    PayoutFrequency,
    UnitKind,
    UnitStatus,
)


class EstateOrgRef(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()


# --- properties, units, mandates ---------------------------------------------------------------


class EstateUnitOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    property = serializers.UUIDField(source="property.public_id")
    label = serializers.CharField()
    kind = serializers.CharField()
    surface_m2 = serializers.IntegerField(allow_null=True)
    rooms = serializers.IntegerField()
    furnished = serializers.BooleanField()
    water_meter = serializers.CharField()
    electricity_meter = serializers.CharField()
    status = serializers.CharField()
    market_rent = MoneyField()


class EstatePropertyOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    address = serializers.CharField()
    neighbourhood = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    description = serializers.CharField()
    organization = EstateOrgRef()
    owner = EstateOrgRef()
    is_active = serializers.BooleanField()
    created_at = UTCDateTimeField()


class EstatePropertyIn(StrictSerializer):
    organization = serializers.UUIDField(help_text="The managing organization (yours)")
    owner = serializers.UUIDField(
        required=False, allow_null=True, help_text="Owner organization; default: the manager itself"
    )
    name = serializers.CharField(max_length=150)
    city = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    neighbourhood = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, min_value=-90, max_value=90
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, min_value=-180, max_value=180
    )
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class EstatePropertyPatch(StrictSerializer):
    name = serializers.CharField(max_length=150, required=False)
    city = serializers.CharField(max_length=100, required=False)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    neighbourhood = serializers.CharField(max_length=100, required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, min_value=-90, max_value=90
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, min_value=-180, max_value=180
    )
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class EstateUnitIn(StrictSerializer):
    label = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(choices=[k.value for k in UnitKind])
    market_rent = AmountField(min_value=0, max_value=10**12, default=0)
    surface_m2 = StrictIntegerField(min_value=0, max_value=1_000_000, required=False, allow_null=True)
    rooms = StrictIntegerField(min_value=0, max_value=200, default=1)
    furnished = serializers.BooleanField(default=False)
    water_meter = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    electricity_meter = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=[s.value for s in UnitStatus], default=UnitStatus.VACANT.value)


class EstateUnitPatch(StrictSerializer):
    label = serializers.CharField(max_length=60, required=False)
    kind = serializers.ChoiceField(choices=[k.value for k in UnitKind], required=False)
    market_rent = AmountField(min_value=0, max_value=10**12, required=False)
    surface_m2 = StrictIntegerField(min_value=0, max_value=1_000_000, required=False, allow_null=True)
    rooms = StrictIntegerField(min_value=0, max_value=200, required=False)
    furnished = serializers.BooleanField(required=False)
    water_meter = serializers.CharField(max_length=40, required=False, allow_blank=True)
    electricity_meter = serializers.CharField(max_length=40, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=[s.value for s in UnitStatus], required=False)


class EstateMandateOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    agency = EstateOrgRef()
    owner = EstateOrgRef()
    commission_bps = serializers.IntegerField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    payout_frequency = serializers.CharField()


class EstateMandateIn(StrictSerializer):
    agency = serializers.UUIDField()
    owner = serializers.UUIDField()
    commission_bps = StrictIntegerField(
        min_value=0, max_value=10_000, help_text="1000 = 10 % of the rent collected"
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    payout_frequency = serializers.ChoiceField(choices=[p.value for p in PayoutFrequency], default="monthly")


class EstateAnnouncementIn(StrictSerializer):
    title = serializers.CharField(max_length=120)
    message = serializers.CharField(max_length=600)


class EstateAnnouncementOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    title = serializers.CharField()
    recipients = serializers.IntegerField()


# --- leases -------------------------------------------------------------------------------------


class EstateTenantIn(StrictSerializer):
    phone = serializers.CharField(max_length=30)
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class EstateTenantOut(serializers.Serializer):
    id = serializers.UUIDField(source="user.public_id")
    full_name = serializers.CharField(source="user.full_name")
    phone = serializers.CharField(source="user.phone")
    is_primary = serializers.BooleanField()


class EstateLeaseIn(StrictSerializer):
    unit = serializers.UUIDField()
    tenants = EstateTenantIn(many=True, allow_empty=False, max_length=6)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    rent = AmountField(max_value=10**12)
    charges = AmountField(default=0, max_value=10**12)
    deposit_months = StrictIntegerField(default=0, max_value=120)
    advance_months = StrictIntegerField(default=0, max_value=120)
    agency_fee = AmountField(default=0, max_value=10**12)
    due_day = StrictIntegerField(default=5, max_value=1000)
    grace_days = StrictIntegerField(default=5, max_value=1000)
    late_fee_policy = serializers.ChoiceField(choices=[p.value for p in LateFeePolicy], default="none")
    late_fee_value = AmountField(default=0, max_value=10**12)
    late_fee_cap = AmountField(default=0, max_value=10**12)
    first_period_rule = serializers.ChoiceField(
        choices=[r.value for r in FirstPeriodRule],
        required=False,
        help_text="The first month of a lease starting after the 1st: prorata (by day), full, "
        "or next (no due until the next month). Default: the organization's setting.",
    )
    min_part_payment = AmountField(
        required=False,
        allow_null=True,
        max_value=10**12,
        help_text="The smallest part payment the pay link accepts; empty: 10 % of the rent.",
    )


class EstateLeaseOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    status = serializers.CharField()
    unit = serializers.UUIDField(source="unit.public_id")
    unit_label = serializers.CharField(source="unit.label")
    property_name = serializers.CharField(source="unit.property.name")
    tenants = EstateTenantOut(source="lease_tenants", many=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    rent = MoneyField()
    charges = MoneyField()
    deposit = MoneyField("deposit_amount")
    deposit_held = MoneyField("deposit_paid")
    credit = MoneyField()
    due_day = serializers.IntegerField()
    grace_days = serializers.IntegerField()
    late_fee_policy = serializers.CharField()
    notice_given_on = serializers.DateField(allow_null=True)
    first_period_rule = serializers.CharField()
    min_part_payment = MoneyField(allow_null=True)


class EstateTermsIn(StrictSerializer):
    effective_from = serializers.DateField()
    rent = AmountField(max_value=10**12)
    charges = AmountField(required=False, max_value=10**12)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class EstateNoticeIn(StrictSerializer):
    given_on = serializers.DateField()
    end_date = serializers.DateField()
    by = serializers.ChoiceField(choices=["tenant", "landlord"], default="tenant")


class EstateEndIn(StrictSerializer):
    end_date = serializers.DateField()


class EstatePaymentIn(StrictSerializer):
    amount = AmountField(max_value=10**12)
    method = serializers.ChoiceField(choices=[PaymentMethod.CASH.value, PaymentMethod.BANK_TRANSFER.value])
    received_on = serializers.DateField(required=False)
    due = serializers.UUIDField(
        required=False, allow_null=True, help_text="Pay this due first (default: the oldest)"
    )
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class EstatePaymentOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    lease = serializers.UUIDField(source="lease.public_id")
    amount = MoneyField()
    kept_as_credit = MoneyField("to_credit")
    method = serializers.CharField()
    received_on = serializers.DateField()
    receipt_number = serializers.CharField()
    reference = serializers.CharField()


class EstateDeductionIn(StrictSerializer):
    label = serializers.CharField(max_length=200)
    amount = AmountField(max_value=10**12)
    kind = serializers.ChoiceField(choices=list(DEDUCTION_KINDS), default="other")


class EstateDepositSettlementIn(StrictSerializer):
    deductions = EstateDeductionIn(many=True, required=False, default=list, max_length=50)
    step_up_token = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class EstateDepositSettlementOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    held = serializers.IntegerField()
    deducted = serializers.IntegerField()
    refund = serializers.IntegerField()
    deductions = serializers.JSONField()
    refund_reference = serializers.CharField()


# --- dues ---------------------------------------------------------------------------------------


class EstateDueOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    lease = serializers.UUIDField(source="lease.public_id")
    reference = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=[k.value for k in DueKind],
        help_text="rent; opening (an imported lease's arrears); deposit and fee (the move-in invoice)",
    )
    period = serializers.DateField()
    due_date = serializers.DateField()
    status = serializers.CharField()
    rent = MoneyField()
    charges = MoneyField()
    adjustments = MoneyField()
    total = MoneyField()
    paid = MoneyField()
    outstanding = MoneyField()
    unit_label = serializers.CharField(source="lease.unit.label")
    property_name = serializers.CharField(source="lease.unit.property.name")
    pay_url = serializers.SerializerMethodField(
        help_text="The due's pay link (/pay/rent/<token>, absolute); null when nothing is owed on it"
    )

    def get_pay_url(self, obj) -> str | None:
        from django.urls import reverse

        from ..contracts import OPEN_DUE_STATUSES
        from ..documents import public_url

        if obj.status not in OPEN_DUE_STATUSES or obj.outstanding <= 0:
            return None
        return public_url(reverse("estate:pay-due", args=[obj.pay_token]))


class EstateLeaseQuery(StrictSerializer):
    status = serializers.ChoiceField(choices=[v.value for v in LeaseStatus], required=False)
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class EstateDueQuery(StrictSerializer):
    status = serializers.ChoiceField(choices=[s.value for s in DueStatus], required=False)
    period = serializers.DateField(required=False, help_text="First day of the month")
    lease = serializers.UUIDField(required=False)
    property = serializers.UUIDField(required=False)
    q = serializers.CharField(
        required=False, max_length=100, help_text="Search in the reference, unit label and tenant names"
    )
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class EstateAdjustmentIn(StrictSerializer):
    kind = serializers.ChoiceField(choices=[k.value for k in AdjustmentKind])
    amount = AmountField(max_value=10**12)
    label = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class EstateWriteOffIn(StrictSerializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class EstatePayLinkOut(serializers.Serializer):
    intent = serializers.UUIDField(source="public_id")
    amount = MoneyField()
    pay_url = serializers.CharField()
    expires_at = UTCDateTimeField()


class EstateReceiptOut(serializers.Serializer):
    """One of the tenant's receipts (selectors.TenantReceipt): a quittance (Q…) or the
    receipt of a payment through payments (R…)."""

    id = serializers.UUIDField(source="public_id", help_text="The quittance, or the payment intent")
    kind = serializers.ChoiceField(
        choices=["quittance", "payment"],
        help_text="quittance: a rent, deposit or fee receipt (Q…, /r/q/<code>); "
        "payment: the receipt of a payment (R…, /r/<code>)",
    )
    number = serializers.CharField()
    code = serializers.CharField()
    due = serializers.UUIDField(
        source="due_public_id", allow_null=True, help_text="The due it is for, if one"
    )
    due_kind = serializers.CharField(
        allow_null=True, help_text="rent, opening, deposit or fee; null: no one due"
    )
    period = serializers.DateField(allow_null=True, help_text="The due's month; null without a due")
    amount = MoneyField()
    issued_at = UTCDateTimeField(help_text="Issued (quittance) or paid (payment)")
    date = UTCDateTimeField(source="issued_at", help_text="The same as issued_at")
    voided = serializers.BooleanField()
    verify_url = serializers.SerializerMethodField(help_text="The public check page")
    pdf_url = serializers.SerializerMethodField(help_text="The PDF (with your token); null for a payment")

    def get_verify_url(self, obj) -> str:
        from ..documents import verification_url

        return obj.verify_url or verification_url(obj.code)

    def get_pdf_url(self, obj) -> str | None:
        from ..documents import public_url

        return public_url(obj.pdf_path) if obj.pdf_path else None


class EstateReceiptQuery(StrictSerializer):
    cursor = serializers.CharField(required=False, max_length=200)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class EstateReceiptPage(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = EstateReceiptOut(many=True)


class EstateLeasePayIn(StrictSerializer):
    choice = serializers.ChoiceField(
        choices=["balance", "part", "ahead"],
        help_text="balance: all the lease owes; part: `amount`, from the lease's floor up to the "
        "balance; ahead: the balance and the next month",
    )
    amount = AmountField(
        required=False, allow_null=True, min_value=1, max_value=10**12, help_text="For part only"
    )


class EstateLeasePayOut(serializers.Serializer):
    """The payment intent to pay (open `pay_url`)."""

    intent = serializers.UUIDField(source="public_id")
    status = serializers.CharField()
    amount = MoneyField()
    pay_url = serializers.CharField(help_text="The pay page the app opens (payments' /pay/<token>)")
    provider = serializers.CharField(help_text="Empty until an attempt is started")
    method = serializers.CharField(help_text="Empty until an attempt is started")
    expires_at = UTCDateTimeField()
    choice = serializers.SerializerMethodField()

    def get_choice(self, obj) -> str:
        return (obj.metadata or {}).get("choice", "balance")


# --- tickets, statements, dashboard ------------------------------------------------------------------


class EstateTicketOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    property = serializers.UUIDField(source="property.public_id")
    property_name = serializers.CharField(source="property.name")
    unit_label = serializers.CharField(source="unit.label", allow_null=True, default=None)
    title = serializers.CharField()
    description = serializers.CharField()
    priority = serializers.CharField()
    status = serializers.CharField()
    vendor_name = serializers.CharField()
    vendor_phone = serializers.CharField()
    cost = serializers.IntegerField(allow_null=True)
    created_at = UTCDateTimeField()


class EstateTicketIn(StrictSerializer):
    property = serializers.UUIDField()
    title = serializers.CharField(max_length=150)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=["low", "normal", "urgent"], default="normal")


class EstateTenantTicketIn(StrictSerializer):
    lease = serializers.UUIDField()
    title = serializers.CharField(max_length=150)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=["low", "normal", "urgent"], default="normal")


class EstateTicketPatch(StrictSerializer):
    status = serializers.ChoiceField(choices=list(TICKET_STATUSES), required=False)
    vendor_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    vendor_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    cost = AmountField(required=False, max_value=10**12)
    priority = serializers.ChoiceField(choices=["low", "normal", "urgent"], required=False)


class EstateStatementOut(serializers.Serializer):
    id = serializers.UUIDField(
        source="public_id",
        allow_null=True,
        help_text="null for a draft read before it is prepared (POST /estate/statements)",
    )
    owner = EstateOrgRef()
    period = serializers.DateField()
    status = serializers.CharField()
    collected = MoneyField()
    commission = MoneyField()
    expenses = MoneyField()
    net = MoneyField()
    closed_at = UTCDateTimeField(allow_null=True)

    def to_representation(self, statement):
        data = super().to_representation(statement)
        if statement.pk is None:  # a draft computed for reading, not stored
            data["id"] = None
        return data


class EstateStatementQuery(StrictSerializer):
    owner = serializers.UUIDField()
    period = serializers.DateField(help_text="Any day of the month")
    organization = serializers.UUIDField(required=False, help_text="The managing organization, if several")


class EstateDashboardOut(serializers.Serializer):
    period = serializers.DateField()
    currency = serializers.CharField(allow_null=True, help_text="The portfolio's currency")
    expected = MoneyField()
    collected = MoneyField()
    collection_rate = serializers.IntegerField()
    units = serializers.IntegerField()
    occupied = serializers.IntegerField()
    occupancy = serializers.IntegerField()
    arrears = MoneyField()
    arrears_count = serializers.IntegerField()
    leases_ending_60_days = serializers.IntegerField()
    open_tickets = serializers.IntegerField()


# --- settings -------------------------------------------------------------------------------------


class EstateSettingsQuery(StrictSerializer):
    organization = serializers.UUIDField(
        required=False, help_text="One of your organizations; required when you manage several"
    )


class EstateSettingsIn(StrictSerializer):
    organization = serializers.UUIDField(required=False)
    first_period_rule = serializers.ChoiceField(choices=[r.value for r in FirstPeriodRule])


class EstateSettingsOut(serializers.Serializer):
    organization = serializers.UUIDField()
    first_period_rule = serializers.CharField()
