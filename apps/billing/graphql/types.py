"""GraphQL object and input types (money through apps.core.graphql.types.MoneyField)."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.types import MoneyField, PublicIdField, UTCDateTime


class BillingOrganizationType(graphene.ObjectType):
    class Meta:
        name = "BillingOrganization"

    id = PublicIdField()
    name = graphene.String(required=True)


class BillingPaymentMethodType(graphene.ObjectType):
    class Meta:
        name = "BillingPaymentMethod"

    method = graphene.String(required=True, description=_("mobile_money, card, credits or manual"))
    payer_phone = graphene.String(required=True)
    provider = graphene.String(required=True)
    use_credits_first = graphene.Boolean(required=True)


class BillingPlanPriceType(graphene.ObjectType):
    class Meta:
        name = "BillingPlanPrice"

    id = PublicIdField()
    kind = graphene.String(required=True, description=_("flat, per_unit or usage"))
    name = graphene.String(required=True)
    amount = MoneyField(currency="version.currency", description=_("Flat amount or amount per unit"))
    tier_mode = graphene.String(required=True)
    tiers = graphene.JSONString(required=True)
    free_units = graphene.Int(required=True)
    metric = graphene.String()
    quantity_source = graphene.String(required=True)

    @staticmethod
    def resolve_metric(price, info):
        return price.metric.code if price.metric_id else None


class BillingPlanType(graphene.ObjectType):
    class Meta:
        name = "BillingPlan"

    id = PublicIdField(description=_("The plan version's id"))
    plan = graphene.String(required=True)
    name = graphene.String(required=True)
    description = graphene.String(required=True)
    version = graphene.Int(required=True)
    currency = graphene.String(required=True)
    interval = graphene.String(required=True)
    trial_days = graphene.Int(required=True)
    entitlements = graphene.JSONString(required=True)
    prices = graphene.List(graphene.NonNull(BillingPlanPriceType), required=True)

    resolve_plan = staticmethod(lambda v, info: v.plan.code)
    resolve_name = staticmethod(lambda v, info: v.plan.name)
    resolve_description = staticmethod(lambda v, info: v.plan.description)
    resolve_version = staticmethod(lambda v, info: v.number)
    resolve_prices = staticmethod(lambda v, info: list(v.prices.all()))


class BillingSubscriptionType(graphene.ObjectType):
    class Meta:
        name = "BillingSubscription"

    id = PublicIdField()
    plan = graphene.String(required=True)
    plan_name = graphene.String(required=True)
    version = graphene.UUID(required=True)
    status = graphene.String(
        required=True, description=_("trialing, active, past_due, restricted, paused, canceled")
    )
    status_label = graphene.String(required=True)
    currency = graphene.String(required=True)
    started_on = graphene.Date(required=True)
    trial_ends_on = graphene.Date()
    current_period_start = graphene.Date(required=True)
    current_period_end = graphene.Date(required=True)
    cancel_at_period_end = graphene.Boolean(required=True)
    pending_plan = graphene.String()
    past_due_since = graphene.Date()
    restricted_on = graphene.Date()

    resolve_plan = staticmethod(lambda s, info: s.version.plan.code)
    resolve_plan_name = staticmethod(lambda s, info: s.version.plan.name)
    resolve_version = staticmethod(lambda s, info: s.version.public_id)
    resolve_status_label = staticmethod(lambda s, info: str(s.get_status_display()))
    resolve_currency = staticmethod(lambda s, info: s.version.currency)
    resolve_pending_plan = staticmethod(
        lambda s, info: s.pending_version.plan.code if s.pending_version_id else None
    )


class BillingAccountType(graphene.ObjectType):
    class Meta:
        name = "BillingAccount"

    organization = graphene.Field(BillingOrganizationType, required=True)
    subscription = graphene.Field(BillingSubscriptionType)
    payment_method = graphene.Field(BillingPaymentMethodType)
    credits = MoneyField(description=_("The prepaid credit wallet's balance"))
    amount_overdue = MoneyField(description=_("What finalized invoices still owe"))
    currency = graphene.String(required=True)


class BillingUsageLineType(graphene.ObjectType):
    class Meta:
        name = "BillingUsageLine"

    metric = graphene.String(required=True)
    name = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    amount = MoneyField(description=_("What the usage so far would cost, before tax"))


class BillingEstimateLineType(graphene.ObjectType):
    class Meta:
        name = "BillingEstimateLine"

    kind = graphene.String(required=True)
    description = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    amount = MoneyField()
    tax = MoneyField()
    period_start = graphene.Date()
    period_end = graphene.Date()


class BillingEstimateType(graphene.ObjectType):
    class Meta:
        name = "BillingEstimate"

    currency = graphene.String(required=True)
    issued_on = graphene.Date(required=True)
    period_start = graphene.Date()
    period_end = graphene.Date()
    lines = graphene.List(graphene.NonNull(BillingEstimateLineType), required=True)
    subtotal = MoneyField()
    tax = MoneyField()
    total = MoneyField()


class BillingUsageType(graphene.ObjectType):
    class Meta:
        name = "BillingUsage"

    period_start = graphene.Date()
    period_end = graphene.Date()
    usage = graphene.List(graphene.NonNull(BillingUsageLineType), required=True)
    estimate = graphene.Field(BillingEstimateType)


class BillingInvoiceLineType(graphene.ObjectType):
    class Meta:
        name = "BillingInvoiceLine"

    kind = graphene.String(required=True)
    description = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    unit_amount = MoneyField(currency="invoice.currency", required=False)
    amount = MoneyField(currency="invoice.currency")
    tax_rate_bps = graphene.Int(required=True)
    tax = MoneyField(currency="invoice.currency")
    period_start = graphene.Date()
    period_end = graphene.Date()
    metric = graphene.String(required=True)


class BillingCreditNoteType(graphene.ObjectType):
    class Meta:
        name = "BillingCreditNote"

    id = PublicIdField()
    number = graphene.String(required=True)
    invoice = graphene.String(required=True, description=_("The credited invoice's number"))
    reason = graphene.String(required=True)
    issued_on = graphene.Date(required=True)
    subtotal = MoneyField()
    tax = MoneyField()
    total = MoneyField()
    to_credits = MoneyField()
    to_invoice = MoneyField()

    resolve_invoice = staticmethod(lambda n, info: n.invoice.number)


class BillingInvoiceType(graphene.ObjectType):
    class Meta:
        name = "BillingInvoice"

    id = PublicIdField()
    number = graphene.String(required=True)
    kind = graphene.String(required=True)
    status = graphene.String(required=True, description=_("open (to pay), paid, void or uncollectible"))
    status_label = graphene.String(required=True)
    currency = graphene.String(required=True)
    issued_on = graphene.Date()
    due_on = graphene.Date()
    period_start = graphene.Date()
    period_end = graphene.Date()
    subtotal = MoneyField()
    discount = MoneyField()
    tax = MoneyField()
    total = MoneyField()
    credits_applied = MoneyField()
    amount_paid = MoneyField()
    amount_due = MoneyField()
    paid_at = UTCDateTime()
    seller = graphene.JSONString()
    buyer = graphene.JSONString()
    lines = graphene.List(
        graphene.NonNull(BillingInvoiceLineType), description=_("Only on one invoice (billingInvoice)")
    )
    credit_notes = graphene.List(
        graphene.NonNull(BillingCreditNoteType), description=_("Only on one invoice (billingInvoice)")
    )

    resolve_status_label = staticmethod(lambda i, info: str(i.get_status_display()))

    @staticmethod
    def resolve_lines(invoice, info):
        cache = getattr(invoice, "_prefetched_objects_cache", {})
        return list(invoice.lines.all()) if "lines" in cache else None

    @staticmethod
    def resolve_credit_notes(invoice, info):
        cache = getattr(invoice, "_prefetched_objects_cache", {})
        return list(invoice.credit_notes.all()) if "credit_notes" in cache else None


class BillingPayLinkType(graphene.ObjectType):
    class Meta:
        name = "BillingPayLink"

    invoice = graphene.UUID(required=True)
    pay_url = graphene.String(required=True)
    amount = MoneyField()


class BillingChangeType(graphene.ObjectType):
    class Meta:
        name = "BillingChange"

    subscription = graphene.Field(BillingSubscriptionType, required=True)
    kind = graphene.String(required=True)
    timing = graphene.String(required=True)
    effective_on = graphene.Date(required=True)
    invoice = graphene.UUID(description=_("The proration invoice, when one was made"))
    credit_note = graphene.UUID(description=_("The proration credit note"))
