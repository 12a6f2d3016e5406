"""REST shapes (StrictSerializer for inputs, MoneyField for amounts)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import AmountField, MoneyField, StrictSerializer, UTCDateTimeField

from ..contracts import (
    ChangeTiming,
    CreditNoteReason,
    InvoiceKind,
    InvoiceStatus,
    LineKind,
    PaymentMethodKind,
    PriceKind,
    SubscriptionStatus,
)

# the choice sets (conf.py OPENAPI_ENUMS names them, some values collide with other modules')
SUBSCRIPTION_STATUSES = [s.value for s in SubscriptionStatus]
INVOICE_STATUSES = [s.value for s in InvoiceStatus]
INVOICE_KINDS = [k.value for k in InvoiceKind]
LINE_KINDS = [k.value for k in LineKind]
PRICE_KINDS = [k.value for k in PriceKind]
CREDIT_NOTE_REASONS = [r.value for r in CreditNoteReason]
PAYMENT_METHODS = [m.value for m in PaymentMethodKind]
CHOSEN_METHODS = [PaymentMethodKind.MOBILE_MONEY.value, PaymentMethodKind.CARD.value]
TIMINGS = [t.value for t in ChangeTiming]

ORGANIZATION_HELP = _("The organization (required when you handle the billing of several)")


# --- inputs ----------------------------------------------------------------------------------------


class BillingOrganizationQuery(StrictSerializer):
    organization = serializers.UUIDField(required=False, help_text=ORGANIZATION_HELP)


class BillingSubscribeIn(StrictSerializer):
    organization = serializers.UUIDField(required=False, help_text=ORGANIZATION_HELP)
    plan = serializers.UUIDField(help_text=_("The plan version's id (GET /billing/plans)"))
    coupon = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")


class BillingChangePlanIn(StrictSerializer):
    organization = serializers.UUIDField(required=False, help_text=ORGANIZATION_HELP)
    plan = serializers.UUIDField(help_text=_("The plan version's id (GET /billing/plans)"))
    timing = serializers.ChoiceField(
        choices=TIMINGS,
        help_text=_(
            "now: at once, prorated (a credit note and an invoice); period_end: at the end of the term"
        ),
    )


class BillingOrganizationIn(StrictSerializer):
    organization = serializers.UUIDField(required=False, help_text=ORGANIZATION_HELP)


class BillingPaymentMethodIn(StrictSerializer):
    organization = serializers.UUIDField(required=False, help_text=ORGANIZATION_HELP)
    method = serializers.ChoiceField(choices=CHOSEN_METHODS)
    payer_phone = serializers.CharField(required=False, allow_blank=True, max_length=32, default="")
    provider = serializers.CharField(required=False, allow_blank=True, max_length=32, default="")
    use_credits_first = serializers.BooleanField(required=False, allow_null=True, default=None)


class BillingBuyCreditsIn(StrictSerializer):
    organization = serializers.UUIDField(required=False, help_text=ORGANIZATION_HELP)
    amount = AmountField(min_value=1, help_text=_("Prepaid credits to buy, in minor units"))


# --- outputs ---------------------------------------------------------------------------------------


class BillingOrganizationOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()


class BillingPaymentMethodOut(serializers.Serializer):
    method = serializers.ChoiceField(choices=PAYMENT_METHODS)
    payer_phone = serializers.CharField()
    provider = serializers.CharField()
    use_credits_first = serializers.BooleanField()


class BillingPlanPriceOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.ChoiceField(choices=PRICE_KINDS)
    name = serializers.CharField()
    amount = MoneyField(currency="version.currency", help_text=_("Flat amount or amount per unit"))
    tier_mode = serializers.CharField()
    tiers = serializers.JSONField()
    free_units = serializers.IntegerField()
    metric = serializers.CharField(source="metric.code", allow_null=True, default=None)
    quantity_source = serializers.CharField()


class BillingPlanOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", help_text=_("The plan version's id"))
    plan = serializers.CharField(source="plan.code")
    name = serializers.CharField(source="plan.name")
    description = serializers.CharField(source="plan.description")
    version = serializers.IntegerField(source="number")
    currency = serializers.CharField()
    interval = serializers.CharField()
    trial_days = serializers.IntegerField()
    entitlements = serializers.JSONField()
    prices = BillingPlanPriceOut(many=True, source="prices.all")


class BillingSubscriptionOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    plan = serializers.CharField(source="version.plan.code")
    plan_name = serializers.CharField(source="version.plan.name")
    version = serializers.UUIDField(source="version.public_id")
    status = serializers.ChoiceField(choices=SUBSCRIPTION_STATUSES)
    status_label = serializers.CharField(source="get_status_display")
    currency = serializers.CharField(source="version.currency")
    started_on = serializers.DateField()
    trial_ends_on = serializers.DateField(allow_null=True)
    current_period_start = serializers.DateField()
    current_period_end = serializers.DateField()
    cancel_at_period_end = serializers.BooleanField()
    pending_plan = serializers.CharField(source="pending_version.plan.code", allow_null=True, default=None)
    past_due_since = serializers.DateField(allow_null=True)
    restricted_on = serializers.DateField(allow_null=True)


class BillingAccountOut(serializers.Serializer):
    organization = BillingOrganizationOut()
    subscription = BillingSubscriptionOut(allow_null=True)
    payment_method = BillingPaymentMethodOut(allow_null=True)
    credits = MoneyField(help_text=_("The prepaid credit wallet's balance"))
    amount_overdue = MoneyField(help_text=_("What finalized invoices still owe"))
    currency = serializers.CharField()


class BillingUsageLineOut(serializers.Serializer):
    metric = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    amount = MoneyField(help_text=_("What the usage so far would cost, before tax"))


class BillingEstimateLineOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LINE_KINDS)
    description = serializers.CharField()
    quantity = serializers.IntegerField()
    amount = MoneyField(currency="currency")
    tax = MoneyField(currency="currency")
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)


class BillingEstimateOut(serializers.Serializer):
    currency = serializers.CharField()
    issued_on = serializers.DateField(help_text=_("When the next invoice is made"))
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    lines = BillingEstimateLineOut(many=True)
    subtotal = MoneyField()
    tax = MoneyField()
    total = MoneyField()


class BillingUsageOut(serializers.Serializer):
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    usage = BillingUsageLineOut(many=True)
    estimate = BillingEstimateOut(allow_null=True)


class BillingInvoiceOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    number = serializers.CharField()
    kind = serializers.ChoiceField(choices=INVOICE_KINDS)
    status = serializers.ChoiceField(choices=INVOICE_STATUSES)
    status_label = serializers.CharField(source="get_status_display")
    currency = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    subtotal = MoneyField()
    discount = MoneyField()
    tax = MoneyField()
    total = MoneyField()
    credits_applied = MoneyField()
    amount_paid = MoneyField()
    amount_due = MoneyField()
    paid_at = UTCDateTimeField(allow_null=True)


class BillingInvoiceLineOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LINE_KINDS)
    description = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_amount = MoneyField(currency="invoice.currency", allow_null=True)
    amount = MoneyField(currency="invoice.currency")
    tax_rate_bps = serializers.IntegerField()
    tax = MoneyField(currency="invoice.currency")
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    metric = serializers.CharField()


class BillingCreditNoteOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    number = serializers.CharField()
    invoice = serializers.CharField(source="invoice.number")
    reason = serializers.ChoiceField(choices=CREDIT_NOTE_REASONS)
    issued_on = serializers.DateField()
    subtotal = MoneyField()
    tax = MoneyField()
    total = MoneyField()
    to_credits = MoneyField()
    to_invoice = MoneyField()


class BillingInvoiceDetailOut(BillingInvoiceOut):
    seller = serializers.JSONField()
    buyer = serializers.JSONField()
    lines = BillingInvoiceLineOut(many=True, source="lines.all")
    credit_notes = BillingCreditNoteOut(many=True, source="credit_notes.all")


class BillingPayLinkOut(serializers.Serializer):
    invoice = serializers.UUIDField()
    pay_url = serializers.CharField(help_text=_("Where the payer pays (a path of this site or a full URL)"))
    amount = MoneyField()


class BillingChangeOut(serializers.Serializer):
    subscription = BillingSubscriptionOut()
    kind = serializers.CharField()
    timing = serializers.ChoiceField(choices=TIMINGS)
    effective_on = serializers.DateField()
    invoice = serializers.UUIDField(allow_null=True, help_text=_("The proration invoice, when one was made"))
    credit_note = serializers.UUIDField(allow_null=True, help_text=_("The proration credit note"))
