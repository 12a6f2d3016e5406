"""GraphQL: PaymentsQueries / PaymentsMutations (merged into the root schema).

Scoped like REST: an intent, payout or payout account the caller may not see is null (the
same answer as one that does not exist). Mutations return {ok, errors, …} with typed,
translated errors; money-moving mutations take an idempotencyKey."""

import graphene
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.errors import DomainError, IdempotencyConflict
from apps.core.graphql.types import FieldError, errors_from

from .. import selectors, services
from ..models import PaymentIntent, Payout, PayoutAccount
from .types import CheckoutType, PaymentIntentType, PayoutAccountType, PayoutType, RefundType

MAX_LIST = 200


def _user(info):
    user = getattr(info.context, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _unauthenticated():
    return [FieldError(field=None, code="not_authenticated", message=_("Log in first."))]


def _first(first):
    return max(1, min(first or 50, MAX_LIST))


class PaymentsQueries(graphene.ObjectType):
    payment_intent = graphene.Field(PaymentIntentType, id=graphene.UUID(required=True))
    my_payments = graphene.List(
        graphene.NonNull(PaymentIntentType),
        required=True,
        status=graphene.String(),
        organization_id=graphene.UUID(),
        first=graphene.Int(default_value=50),
        description="Intents of my organizations and those I pay, newest first (at most 200).",
    )
    payout_accounts = graphene.List(graphene.NonNull(PayoutAccountType), required=True)
    payouts = graphene.List(graphene.NonNull(PayoutType), required=True, first=graphene.Int(default_value=50))

    @staticmethod
    def resolve_payment_intent(root, info, id):
        try:
            return selectors.intent_visible_to(_user(info), id)
        except DomainError:
            return None

    @staticmethod
    def resolve_my_payments(root, info, status=None, organization_id=None, first=50):
        user = _user(info)
        if user is None:
            return []
        qs = selectors.intents_visible_to(user)
        if status:
            qs = qs.filter(status=status)
        if organization_id:
            qs = qs.filter(organization__public_id=organization_id)
        return list(qs.order_by("-created_at", "-id")[: _first(first)])

    @staticmethod
    def resolve_payout_accounts(root, info):
        user = _user(info)
        return list(selectors.payout_accounts_visible_to(user).order_by("-created_at")) if user else []

    @staticmethod
    def resolve_payouts(root, info, first=50):
        user = _user(info)
        return (
            list(selectors.payouts_visible_to(user).order_by("-created_at")[: _first(first)]) if user else []
        )


class CreatePaymentIntent(graphene.Mutation):
    class Arguments:
        organization_id = graphene.UUID(required=True)
        amount = graphene.Int(required=True)
        currency = graphene.String(default_value="XOF")
        description = graphene.String(required=True)
        purpose_type = graphene.String(default_value="payments.PayLink")
        purpose_id = graphene.String(default_value="")
        payer_phone = graphene.String(default_value="")
        payer_name = graphene.String(default_value="")
        idempotency_key = graphene.String()

    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    intent = graphene.Field(PaymentIntentType)

    @staticmethod
    def mutate(root, info, organization_id, idempotency_key=None, **args):
        user = _user(info)
        if user is None:
            return CreatePaymentIntent(ok=False, errors=_unauthenticated())
        try:
            org = selectors.organization_for(user, organization_id, "payments.intent.create")
            intent = services.intent_create(
                organization_id=org.id,
                created_by=user,
                credit_account_owned_by_payee=True,
                idempotency_key=f"graphql:{user.pk}:{idempotency_key}" if idempotency_key else "",
                **args,
            )
        except DomainError as exc:
            transaction.set_rollback(True)
            return CreatePaymentIntent(ok=False, errors=errors_from(exc))
        return CreatePaymentIntent(ok=True, errors=[], intent=intent)


class StartPayment(graphene.Mutation):
    class Arguments:
        intent_id = graphene.UUID(required=True)
        method = graphene.String(default_value="mobile_money")

    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    checkout = graphene.Field(CheckoutType)

    @staticmethod
    def mutate(root, info, intent_id, method):
        user = _user(info)
        if user is None:
            return StartPayment(ok=False, errors=_unauthenticated())
        try:
            intent = selectors.intent_visible_to(user, intent_id)
            attempt, checkout = services.attempt_start(intent=intent, method=method)
        except DomainError as exc:
            return StartPayment(ok=False, errors=errors_from(exc))
        return StartPayment(
            ok=True,
            errors=[],
            checkout=CheckoutType(
                attempt=attempt.public_id,
                provider=attempt.provider,
                method=attempt.method,
                kind=checkout.kind,
                url=info.context.build_absolute_uri(checkout.url)
                if checkout.url.startswith("/")
                else checkout.url,
                widget=checkout.widget,
            ),
        )


class ConfirmPayment(graphene.Mutation):
    """The app's provider SDK reported success; the server asks the provider."""

    class Arguments:
        intent_id = graphene.UUID(required=True)
        transaction_id = graphene.String(required=True)

    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    intent = graphene.Field(PaymentIntentType)

    @staticmethod
    def mutate(root, info, intent_id, transaction_id):
        user = _user(info)
        if user is None:
            return ConfirmPayment(ok=False, errors=_unauthenticated())
        try:
            intent = selectors.intent_visible_to(user, intent_id)
            attempt = intent.attempts.order_by("-created_at").first()
            if attempt is not None:
                services.callback_confirm(intent=intent, provider=attempt.provider, reference=transaction_id)
        except DomainError as exc:
            return ConfirmPayment(ok=False, errors=errors_from(exc))
        return ConfirmPayment(
            ok=True, errors=[], intent=PaymentIntent.objects.select_related("organization").get(pk=intent.pk)
        )


class RefundPayment(graphene.Mutation):
    class Arguments:
        intent_id = graphene.UUID(required=True)
        amount = graphene.Int()
        reason = graphene.String(default_value="")
        step_up_token = graphene.String()
        idempotency_key = graphene.String()

    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    refund = graphene.Field(RefundType)

    @staticmethod
    def mutate(root, info, intent_id, amount=None, reason="", step_up_token=None, idempotency_key=None):
        user = _user(info)
        if user is None:
            return RefundPayment(ok=False, errors=_unauthenticated())
        try:
            intent = selectors.intent_visible_to(user, intent_id)
            refund = services.intent_refund(
                actor=user,
                intent=intent,
                amount=amount,
                reason=reason,
                step_up_token=step_up_token,
                idempotency_key=f"graphql:{idempotency_key}" if idempotency_key else "",
            )
        except DomainError as exc:
            transaction.set_rollback(True)
            return RefundPayment(ok=False, errors=errors_from(exc))
        return RefundPayment(ok=True, errors=[], refund=refund)


class RecordCashPayment(graphene.Mutation):
    class Arguments:
        organization_id = graphene.UUID(required=True)
        amount = graphene.Int(required=True)
        description = graphene.String(required=True)
        payer_name = graphene.String(default_value="")
        payer_phone = graphene.String(default_value="")
        idempotency_key = graphene.String()

    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    intent = graphene.Field(PaymentIntentType)

    @staticmethod
    def mutate(root, info, organization_id, idempotency_key=None, **args):
        user = _user(info)
        if user is None:
            return RecordCashPayment(ok=False, errors=_unauthenticated())
        try:
            org = selectors.organization_for(user, organization_id, "payments.merchant.collect")
            intent = services.intent_create(
                organization_id=org.id,
                currency="XOF",
                purpose_type="payments.MerchantSale",
                created_by=user,
                idempotency_key=f"graphql-cash:{user.pk}:{idempotency_key}" if idempotency_key else "",
                **args,
            )
            if intent.status != "succeeded":
                intent = services.cash_record(actor=user, intent=intent)
        except (DomainError, IdempotencyConflict) as exc:
            transaction.set_rollback(True)
            return RecordCashPayment(ok=False, errors=errors_from(exc))
        return RecordCashPayment(ok=True, errors=[], intent=intent)


class AddPayoutAccount(graphene.Mutation):
    class Arguments:
        organization_id = graphene.UUID(required=True)
        kind = graphene.String(required=True)
        holder_name = graphene.String(required=True)
        phone = graphene.String(default_value="")
        operator = graphene.String(default_value="")
        bank_name = graphene.String(default_value="")
        account_number = graphene.String(default_value="")
        step_up_token = graphene.String()

    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    payout_account = graphene.Field(PayoutAccountType)

    @staticmethod
    def mutate(root, info, organization_id, step_up_token=None, **args):
        user = _user(info)
        if user is None:
            return AddPayoutAccount(ok=False, errors=_unauthenticated())
        try:
            org = selectors.organization_for(user, organization_id, "payments.payout_account.manage")
            account = services.payout_account_create(
                actor=user, organization_id=org.id, step_up_token=step_up_token, **args
            )
        except DomainError as exc:
            transaction.set_rollback(True)
            return AddPayoutAccount(ok=False, errors=errors_from(exc))
        return AddPayoutAccount(
            ok=True,
            errors=[],
            payout_account=PayoutAccount.objects.select_related("organization").get(pk=account.pk),
        )


class RequestPayout(graphene.Mutation):
    class Arguments:
        organization_id = graphene.UUID(required=True)
        payout_account_id = graphene.UUID(required=True)
        amount = graphene.Int(required=True)
        step_up_token = graphene.String()
        idempotency_key = graphene.String()

    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    payout = graphene.Field(PayoutType)

    @staticmethod
    def mutate(
        root, info, organization_id, payout_account_id, amount, step_up_token=None, idempotency_key=None
    ):
        user = _user(info)
        if user is None:
            return RequestPayout(ok=False, errors=_unauthenticated())
        try:
            org = selectors.organization_for(user, organization_id, "payments.payout.create")
            account = selectors.payout_account_visible_to(user, payout_account_id)
            payout = services.payout_request(
                actor=user,
                organization_id=org.id,
                account=account,
                amount=amount,
                step_up_token=step_up_token,
                idempotency_key=f"graphql:{idempotency_key}" if idempotency_key else "",
            )
        except DomainError as exc:
            transaction.set_rollback(True)
            return RequestPayout(ok=False, errors=errors_from(exc))
        return RequestPayout(
            ok=True,
            errors=[],
            payout=Payout.objects.select_related("organization", "payout_account").get(pk=payout.pk),
        )


class PaymentsMutations(graphene.ObjectType):
    create_payment_intent = CreatePaymentIntent.Field()
    start_payment = StartPayment.Field()
    confirm_payment = ConfirmPayment.Field()
    refund_payment = RefundPayment.Field()
    record_cash_payment = RecordCashPayment.Field()
    add_payout_account = AddPayoutAccount.Field()
    request_payout = RequestPayout.Field()


__all__ = ["PaymentsMutations", "PaymentsQueries"]
