"""Payments' mutations, all on core's `HokweMutation` (authentication, typed translated
errors, rollback). Root fields are named `payments<Verb><Thing>`; the former names
(createPaymentIntent, startPayment, …) remain as deprecated aliases. Class names, hence
payload type names, are unchanged (the apps' fragments use them).

A mutation whose service calls a provider (starting a checkout, a push to the payer's
phone, a refund, verifying a confirmation) sets `atomic = False`: its service records the
call, commits, calls the provider with no transaction open and applies the answer in a
new transaction (docs/payments.md, "Calling a provider"). Money-moving mutations take an
`idempotencyKey`."""

from __future__ import annotations

import graphene

from apps.core.errors import NotFound
from apps.core.graphql.mutations import HokweMutation
from apps.core.graphql.types import Amount

from .. import selectors, services
from ..models import PaymentIntent, Payout, PayoutAccount
from .types import CheckoutType, PaymentIntentType, PayoutAccountType, PayoutType, RefundType


def _intent(intent) -> PaymentIntent:
    """The intent as it is now (a service may have changed it in its own transaction)."""
    return PaymentIntent.objects.select_related("organization").get(pk=intent.pk)


class CreatePaymentIntent(HokweMutation):
    class Arguments:
        organization_id = graphene.UUID(required=True)
        amount = Amount(required=True)
        currency = graphene.String(description="ISO 4217; by default the organization's own")
        description = graphene.String(required=True)
        purpose_type = graphene.String(default_value="payments.PayLink")
        purpose_id = graphene.String(default_value="")
        payer_phone = graphene.String(default_value="")
        payer_name = graphene.String(default_value="")
        idempotency_key = graphene.String()

    intent = graphene.Field(PaymentIntentType)

    @classmethod
    def perform(cls, info, user, *, organization_id, currency=None, idempotency_key=None, **args):
        org = selectors.organization_for(user, organization_id, "payments.intent.create")
        intent = services.intent_create(
            organization_id=org.id,
            currency=currency or services.currency_for(org, None),
            created_by=user,
            credit_account_owned_by_payee=True,
            organization=org,
            idempotency_key=f"graphql:{user.pk}:{idempotency_key}" if idempotency_key else "",
            **args,
        )
        return {"intent": intent}


class StartPayment(HokweMutation):
    """Start paying with an online provider: what the app opens (a widget, a redirect, the
    sandbox page). Calls the provider: not wrapped in a transaction."""

    atomic = False

    class Arguments:
        intent_id = graphene.UUID(required=True)
        method = graphene.String(default_value="mobile_money")

    checkout = graphene.Field(CheckoutType)

    @classmethod
    def perform(cls, info, user, *, intent_id, method="mobile_money"):
        intent = selectors.intent_visible_to(user, intent_id)
        attempt, checkout = services.attempt_start(intent=intent, method=method)
        return {"checkout": CheckoutType.of(info, attempt, checkout)}


class ConfirmPayment(HokweMutation):
    """The app's provider SDK reported success; the server asks the provider (not wrapped
    in a transaction: the answer is verified now, not after a commit)."""

    atomic = False

    class Arguments:
        intent_id = graphene.UUID(required=True)
        transaction_id = graphene.String(required=True)

    intent = graphene.Field(PaymentIntentType)

    @classmethod
    def perform(cls, info, user, *, intent_id, transaction_id):
        intent = selectors.intent_visible_to(user, intent_id)
        attempt = intent.attempts.order_by("-created_at").first()
        if attempt is None:
            raise NotFound(field="intentId")
        services.callback_confirm(intent=intent, provider=attempt.provider, reference=transaction_id)
        return {"intent": _intent(intent)}


class RefundPayment(HokweMutation):
    """Refund (step-up OTP for action "payments.intent.refund", target the intent id, and
    the amount). At an online provider the refund may come back `requested`."""

    atomic = False

    class Arguments:
        intent_id = graphene.UUID(required=True)
        amount = Amount()
        reason = graphene.String(default_value="")
        step_up_token = graphene.String()
        idempotency_key = graphene.String()

    refund = graphene.Field(RefundType)

    @classmethod
    def perform(
        cls, info, user, *, intent_id, amount=None, reason="", step_up_token=None, idempotency_key=None
    ):
        intent = selectors.intent_visible_to(user, intent_id)
        refund = services.intent_refund(
            actor=user,
            intent=intent,
            amount=amount,
            reason=reason or "",
            step_up_token=step_up_token,
            idempotency_key=f"graphql:{idempotency_key}" if idempotency_key else "",
        )
        return {"refund": refund}


class RecordCashPayment(HokweMutation):
    """A merchant cash sale (services.merchant_cash_sale, as REST `merchant/cash` and the
    point-of-sale page): paid at once with a numbered receipt."""

    class Arguments:
        organization_id = graphene.UUID(required=True)
        amount = Amount(required=True)
        currency = graphene.String(description="One of the organization's currencies; by default its own")
        description = graphene.String(required=True)
        payer_name = graphene.String(default_value="")
        payer_phone = graphene.String(default_value="")
        idempotency_key = graphene.String()

    intent = graphene.Field(PaymentIntentType)

    @classmethod
    def perform(
        cls, info, user, *, organization_id, amount, description, currency=None, idempotency_key=None, **args
    ):
        org = selectors.organization_for(user, organization_id, "payments.merchant.collect")
        intent = services.merchant_cash_sale(
            actor=user,
            organization_id=org.id,
            amount=amount,
            currency=currency,
            description=description,
            payer_name=args.get("payer_name") or "",
            payer_phone=args.get("payer_phone") or "",
            idempotency_key=idempotency_key or "",
        )
        return {"intent": intent}


class CancelPaymentIntent(HokweMutation):
    """Cancel an unpaid intent (its pay link stops working)."""

    class Arguments:
        intent_id = graphene.UUID(required=True)

    intent = graphene.Field(PaymentIntentType)

    @classmethod
    def perform(cls, info, user, *, intent_id):
        intent = selectors.intent_visible_to(user, intent_id)
        return {"intent": services.intent_cancel(actor=user, intent=intent)}


class PushPayment(HokweMutation):
    """Collector app: a mobile money request pushed to the payer's phone. Calls the
    provider: not wrapped in a transaction."""

    atomic = False

    class Arguments:
        intent_id = graphene.UUID(required=True)
        phone = graphene.String(required=True)
        operator = graphene.String(default_value="")

    intent = graphene.Field(PaymentIntentType)
    checkout = graphene.Field(CheckoutType)

    @classmethod
    def perform(cls, info, user, *, intent_id, phone, operator=""):
        intent = selectors.intent_visible_to(user, intent_id)
        attempt, checkout = services.attempt_push(
            actor=user, intent=intent, phone=phone, operator=operator or ""
        )
        return {"intent": _intent(intent), "checkout": CheckoutType.of(info, attempt, checkout)}


class PayWithWallet(HokweMutation):
    """Pay from my Hokwe wallet. An insufficient balance is a failed attempt (the intent
    stays payable by another method): `ok` with the intent `failed`."""

    class Arguments:
        intent_id = graphene.UUID(required=True)

    intent = graphene.Field(PaymentIntentType)

    @classmethod
    def perform(cls, info, user, *, intent_id):
        intent = selectors.intent_visible_to(user, intent_id)
        services.wallet_pay(actor=user, intent=intent)
        return {"intent": _intent(intent)}


class AddPayoutAccount(HokweMutation):
    """Add a payout account (step-up OTP). A landlord's mobile money number is checked with
    the operator's account-holder lookup (a provider call): not wrapped in a transaction."""

    atomic = False

    class Arguments:
        organization_id = graphene.UUID(required=True)
        kind = graphene.String(required=True)
        holder_name = graphene.String(required=True)
        phone = graphene.String(default_value="")
        operator = graphene.String(default_value="")
        bank_name = graphene.String(default_value="")
        account_number = graphene.String(default_value="")
        step_up_token = graphene.String()

    payout_account = graphene.Field(PayoutAccountType)

    @classmethod
    def perform(cls, info, user, *, organization_id, step_up_token=None, **args):
        org = selectors.organization_for(user, organization_id, "payments.payout_account.manage")
        account = services.payout_account_create(
            actor=user, organization_id=org.id, step_up_token=step_up_token, **args
        )
        return {"payout_account": PayoutAccount.objects.select_related("organization").get(pk=account.pk)}


class RemovePayoutAccount(HokweMutation):
    """Remove a payout account: step-up OTP for action "payments.payout_account.remove",
    target the account id."""

    class Arguments:
        payout_account_id = graphene.UUID(required=True)
        step_up_token = graphene.String()

    payout_account = graphene.Field(PayoutAccountType)

    @classmethod
    def perform(cls, info, user, *, payout_account_id, step_up_token=None):
        account = selectors.payout_account_visible_to(user, payout_account_id)
        account = services.payout_account_remove(actor=user, account=account, step_up_token=step_up_token)
        return {"payout_account": account}


class RequestPayout(HokweMutation):
    """Pay out from the organization's balance (step-up OTP for action
    "payments.payout.create", target the organization id, and the amount). The provider is
    asked after this mutation's commit (the `payments.send_payout` task)."""

    class Arguments:
        organization_id = graphene.UUID(required=True)
        payout_account_id = graphene.UUID(required=True)
        amount = Amount(required=True)
        currency = graphene.String(description="ISO 4217; by default the organization's own")
        step_up_token = graphene.String()
        idempotency_key = graphene.String()

    payout = graphene.Field(PayoutType)

    @classmethod
    def perform(
        cls,
        info,
        user,
        *,
        organization_id,
        payout_account_id,
        amount,
        currency=None,
        step_up_token=None,
        idempotency_key=None,
    ):
        org = selectors.organization_for(user, organization_id, "payments.payout.create")
        account = selectors.payout_account_visible_to(user, payout_account_id)
        payout = services.payout_request(
            actor=user,
            organization_id=org.id,
            account=account,
            amount=amount,
            currency=currency or services.currency_for(org, None),
            step_up_token=step_up_token,
            idempotency_key=f"graphql:{idempotency_key}" if idempotency_key else "",
        )
        return {"payout": Payout.objects.select_related("organization", "payout_account").get(pk=payout.pk)}


class PaymentsMutations(graphene.ObjectType):
    payments_create_intent = CreatePaymentIntent.Field()
    payments_start_payment = StartPayment.Field()
    payments_confirm_payment = ConfirmPayment.Field()
    payments_refund = RefundPayment.Field()
    payments_record_cash_payment = RecordCashPayment.Field()
    payments_cancel_intent = CancelPaymentIntent.Field()
    payments_push_payment = PushPayment.Field()
    payments_pay_with_wallet = PayWithWallet.Field()
    payments_add_payout_account = AddPayoutAccount.Field()
    payments_remove_payout_account = RemovePayoutAccount.Field()
    payments_request_payout = RequestPayout.Field()

    # the former names, for the apps that still use them
    create_payment_intent = CreatePaymentIntent.Field(deprecation_reason="Use paymentsCreateIntent.")
    start_payment = StartPayment.Field(deprecation_reason="Use paymentsStartPayment.")
    confirm_payment = ConfirmPayment.Field(deprecation_reason="Use paymentsConfirmPayment.")
    refund_payment = RefundPayment.Field(deprecation_reason="Use paymentsRefund.")
    record_cash_payment = RecordCashPayment.Field(deprecation_reason="Use paymentsRecordCashPayment.")
    add_payout_account = AddPayoutAccount.Field(deprecation_reason="Use paymentsAddPayoutAccount.")
    request_payout = RequestPayout.Field(deprecation_reason="Use paymentsRequestPayout.")
