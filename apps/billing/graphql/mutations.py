"""BillingMutations: HokweMutation subclasses, fields named `billing<Verb><Thing>`. The same
services as REST and the billing page; the organization's owners and managers only."""

import graphene

from apps.core.graphql.mutations import HokweMutation
from apps.core.graphql.types import Amount

from .. import selectors
from ..contracts import ChangeTiming
from ..services import customer as customer_service
from ..services import overview
from .types import (
    BillingAccountType,
    BillingChangeType,
    BillingInvoiceType,
    BillingPayLinkType,
    BillingPaymentMethodType,
)


def _manage(user, organization):
    return selectors.organization(user, organization, manage=True)


class BillingSubscribe(HokweMutation):
    """Subscribe the organization to an offered plan (idempotent on idempotencyKey; a trial
    first when the plan has one)."""

    class Arguments:
        organization = graphene.UUID()
        plan = graphene.UUID(required=True, description="The plan version's id (billingPlans)")
        coupon = graphene.String()
        idempotency_key = graphene.String(required=True)

    account = graphene.Field(BillingAccountType)

    @classmethod
    def perform(cls, info, user, *, plan, idempotency_key, organization=None, coupon=""):
        from ..services import subscriptions

        org = _manage(user, organization)
        subscriptions.subscribe(
            actor=user,
            organization_id=org.id,
            version=selectors.offered_version(plan),
            coupon=coupon or "",
            idempotency_key=idempotency_key,
        )
        return {"account": overview.account(org)}


class BillingChangePlan(HokweMutation):
    """Move to another offered plan, now (prorated: a credit note and an invoice) or at the
    end of the term; a retry with the same idempotencyKey prorates once."""

    class Arguments:
        organization = graphene.UUID()
        plan = graphene.UUID(required=True, description="The plan version's id (billingPlans)")
        timing = graphene.String(required=True, description="now or period_end")
        idempotency_key = graphene.String(required=True)

    change = graphene.Field(BillingChangeType)

    @classmethod
    def perform(cls, info, user, *, plan, timing, idempotency_key, organization=None):
        from ..errors import BillingError
        from ..services import subscriptions

        org = _manage(user, organization)
        sub = selectors.live_subscription(org)
        if timing not in {t.value for t in ChangeTiming}:
            raise BillingError(field="timing")
        change = subscriptions.change_plan(
            actor=user,
            subscription=sub,
            to_version=selectors.offered_version(plan),
            timing=ChangeTiming(timing),
            idempotency_key=idempotency_key,
        )
        return {"change": overview.change_summary(change)}


class BillingCancelSubscription(HokweMutation):
    """Cancel at the end of the term (the plan runs until the period's end)."""

    class Arguments:
        organization = graphene.UUID()
        idempotency_key = graphene.String(required=True)

    account = graphene.Field(BillingAccountType)

    @classmethod
    def perform(cls, info, user, *, idempotency_key, organization=None):
        from ..services import subscriptions

        org = _manage(user, organization)
        subscriptions.cancel(
            actor=user, subscription=selectors.live_subscription(org), idempotency_key=idempotency_key
        )
        return {"account": overview.account(org)}


class BillingResumeSubscription(HokweMutation):
    """Resume a paused subscription: its period moves later by the days it was paused."""

    class Arguments:
        organization = graphene.UUID()
        idempotency_key = graphene.String(required=True)

    account = graphene.Field(BillingAccountType)

    @classmethod
    def perform(cls, info, user, *, idempotency_key, organization=None):
        from ..services import subscriptions

        org = _manage(user, organization)
        subscriptions.resume(
            actor=user, subscription=selectors.live_subscription(org), idempotency_key=idempotency_key
        )
        return {"account": overview.account(org)}


class BillingCreateInvoicePayLink(HokweMutation):
    """A link to pay what the invoice still owes (money in: no confirmation code)."""

    atomic = False  # the payment intent is recorded and committed by the service

    class Arguments:
        invoice_id = graphene.UUID(required=True)

    pay_link = graphene.Field(BillingPayLinkType)

    @classmethod
    def perform(cls, info, user, *, invoice_id):
        from ..services import payment

        row = selectors.invoice(user, invoice_id)
        _manage(user, selectors.invoice_organization(row).public_id)
        url = payment.pay_link(row)
        row.refresh_from_db()
        return {
            "pay_link": {
                "invoice": row.public_id,
                "pay_url": url,
                "amount": row.amount_due,
                "currency": row.currency,
            }
        }


class BillingSetPaymentMethod(HokweMutation):
    """How the organization pays: a mobile-money number and provider, or a card."""

    class Arguments:
        organization = graphene.UUID()
        method = graphene.String(required=True, description="mobile_money or card")
        payer_phone = graphene.String()
        provider = graphene.String()
        use_credits_first = graphene.Boolean()

    payment_method = graphene.Field(BillingPaymentMethodType)

    @classmethod
    def perform(
        cls, info, user, *, method, organization=None, payer_phone="", provider="", use_credits_first=None
    ):
        org = _manage(user, organization)
        cust = customer_service.payment_method_set(
            actor=user,
            organization_id=org.id,
            method=method,
            payer_phone=payer_phone or "",
            provider=provider or "",
            use_credits_first=use_credits_first,
        )
        return {"payment_method": cust}


class BillingBuyCredits(HokweMutation):
    """Buy prepaid credits: an invoice of the credits, paid like any invoice (idempotent on
    idempotencyKey)."""

    atomic = False  # the service commits before asking the provider for the payment

    class Arguments:
        organization = graphene.UUID()
        amount = Amount(required=True)
        idempotency_key = graphene.String(required=True)

    invoice = graphene.Field(BillingInvoiceType)

    @classmethod
    def perform(cls, info, user, *, amount, idempotency_key, organization=None):
        from ..services import payment
        from ..services.invoices import customer_for

        org = _manage(user, organization)
        row = payment.buy_credits(
            actor=user, customer=customer_for(org.id), amount=amount, idempotency_key=idempotency_key
        )
        return {"invoice": selectors.invoice(user, row.public_id)}


class BillingMutations(graphene.ObjectType):
    billing_subscribe = BillingSubscribe.Field()
    billing_change_plan = BillingChangePlan.Field()
    billing_cancel_subscription = BillingCancelSubscription.Field()
    billing_resume_subscription = BillingResumeSubscription.Field()
    billing_create_invoice_pay_link = BillingCreateInvoicePayLink.Field()
    billing_set_payment_method = BillingSetPaymentMethod.Field()
    billing_buy_credits = BillingBuyCredits.Field()
