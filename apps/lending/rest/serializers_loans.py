"""REST bodies of the borrower's loans (strict: an unknown field is refused)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import AmountField, MoneyField, StrictSerializer, UTCDateTimeField

from ..contracts import LoanStatus

STATUSES = [s.value for s in LoanStatus]


class LendingProductOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    code = serializers.CharField()
    name = serializers.CharField(help_text=_("In the response's language"))
    summary = serializers.CharField()
    destination = serializers.ChoiceField(choices=["wallet", "rent_due", "payout"])
    currency = serializers.CharField()
    min_amount = MoneyField()
    max_amount = MoneyField()
    min_term = serializers.IntegerField()
    max_term = serializers.IntegerField()
    frequency = serializers.ChoiceField(choices=["weekly", "monthly"])
    annual_rate_bps = serializers.IntegerField(help_text=_("The nominal annual rate, in basis points"))
    prepayment_allowed = serializers.BooleanField()
    requires_guarantor = serializers.BooleanField()


class LendingSimulationQuery(StrictSerializer):
    amount = serializers.IntegerField(min_value=1, max_value=10**12)
    term = serializers.IntegerField(min_value=1, max_value=520)
    language = serializers.ChoiceField(choices=["fr", "en"], required=False)


class LendingScheduleLineOut(serializers.Serializer):
    number = serializers.IntegerField()
    due_date = serializers.DateField()
    principal = MoneyField()
    interest = MoneyField()
    fee = MoneyField()
    total = MoneyField()


class LendingSimulationOut(serializers.Serializer):
    product = serializers.UUIDField()
    amount = MoneyField()
    term = serializers.IntegerField()
    upfront_fee = MoneyField(help_text=_("Taken from the amount at disbursement"))
    received = MoneyField(help_text=_("What is paid out: the amount less the upfront fee"))
    total_interest = MoneyField()
    total_fees = MoneyField()
    total_cost = MoneyField(help_text=_("Interest and every fee"))
    total_repaid = MoneyField()
    teg_bps = serializers.IntegerField(help_text=_("The effective annual rate (TEG), in basis points"))
    lines = LendingScheduleLineOut(many=True)


class LendingApplyIn(StrictSerializer):
    product = serializers.UUIDField(help_text=_("The product's id"))
    amount = AmountField(min_value=1)
    term = serializers.IntegerField(min_value=1, max_value=520, help_text=_("Number of instalments"))
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    destination_ref = serializers.CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The rent due's id when the loan pays a rent due"),
    )


class LendingInstalmentOut(serializers.Serializer):
    number = serializers.IntegerField()
    due_date = serializers.DateField()
    status = serializers.ChoiceField(choices=["pending", "partly_paid", "paid", "waived"])
    principal = MoneyField(currency="loan.currency")
    interest = MoneyField(currency="loan.currency")
    fee = MoneyField(currency="loan.currency")
    penalty = MoneyField(currency="loan.currency", help_text=_("Late fees"))
    total = MoneyField(currency="loan.currency")
    paid = MoneyField(currency="loan.currency")
    owed = MoneyField(currency="loan.currency")
    paid_on = serializers.DateField(allow_null=True)


class LendingRepaymentOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    channel = serializers.ChoiceField(choices=["wallet", "fund", "momo", "cash", "rents", "prepayment"])
    amount = MoneyField(help_text=_("What came in"))
    fees = MoneyField()
    interest = MoneyField()
    principal = MoneyField()
    excess = MoneyField(help_text=_("Given back to the wallet"))
    paid_on = serializers.DateField()
    created_at = UTCDateTimeField()


class LendingReasonOut(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()


class LendingLoanOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=STATUSES)
    product = serializers.UUIDField(source="product_id")
    product_name = serializers.CharField()
    destination = serializers.ChoiceField(choices=["wallet", "rent_due", "payout"])
    principal = MoneyField()
    term = serializers.IntegerField()
    frequency = serializers.ChoiceField(choices=["weekly", "monthly"])
    annual_rate_bps = serializers.IntegerField()
    teg_bps = serializers.IntegerField(help_text=_("The effective annual rate (TEG), in basis points"))
    upfront_fee = MoneyField()
    total_interest = MoneyField()
    outstanding = MoneyField(help_text=_("Principal, interest and fees owed now"))
    principal_outstanding = MoneyField()
    days_past_due = serializers.IntegerField()
    offer_expires_at = UTCDateTimeField(allow_null=True)
    disbursed_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    created_at = UTCDateTimeField()


class LendingLoanDetailOut(LendingLoanOut):
    purpose = serializers.CharField()
    first_due_date = serializers.DateField(allow_null=True)
    interest_outstanding = MoneyField()
    fees_outstanding = MoneyField()
    decision_reasons = LendingReasonOut(many=True)
    key_facts = serializers.JSONField(help_text=_("The key facts statement as accepted (empty before)"))
    schedule = LendingInstalmentOut(many=True)
    repayments = LendingRepaymentOut(many=True)


class LendingAcceptIn(StrictSerializer):
    # identity's step-up proof of the acceptance (`POST /api/v1/auth/step-up`), bound to the
    # loan and its principal
    step_up_token = serializers.CharField(max_length=500)


class LendingRepayIn(StrictSerializer):
    amount = AmountField(min_value=1)


class LendingPayLinkIn(StrictSerializer):
    amount = AmountField(min_value=1, required=False, help_text=_("Default: what is due now"))


class LendingPayLinkOut(serializers.Serializer):
    intent = serializers.UUIDField(source="public_id")
    status = serializers.CharField()
    amount = MoneyField()
    pay_url = serializers.CharField(help_text=_("Where to pay it by mobile money"))


class LendingPrepaymentOut(serializers.Serializer):
    loan = serializers.UUIDField()
    on = serializers.DateField()
    allowed = serializers.BooleanField()
    principal = MoneyField()
    interest = MoneyField()
    fees = MoneyField()
    total = MoneyField()
