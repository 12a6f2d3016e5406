import graphene
from django.utils.translation import get_language

from apps.core.money import Money

from .. import api


def _money(amount: int, currency: str):
    return Money(amount, currency)


class PaymentMoney(graphene.ObjectType):
    amount = graphene.Int(required=True, description="Integer amount in the currency's minor unit")
    currency = graphene.String(required=True)
    formatted = graphene.String(required=True)

    @staticmethod
    def resolve_formatted(money, info):
        return money.format(get_language() or "fr")


class PaymentIntentType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    status = graphene.String(required=True)
    amount = graphene.Field(PaymentMoney, required=True)
    fee = graphene.Field(PaymentMoney, required=True)
    amount_refunded = graphene.Field(PaymentMoney, required=True)
    organization_id = graphene.UUID(required=True)
    organization_name = graphene.String(required=True)
    description = graphene.String(required=True)
    purpose_type = graphene.String(required=True)
    purpose_id = graphene.String(required=True)
    payer_name = graphene.String(required=True)
    provider = graphene.String(required=True)
    method = graphene.String(required=True)
    receipt_number = graphene.String(required=True)
    pay_url = graphene.String(required=True)
    receipt_url = graphene.String(required=True)
    expires_at = graphene.DateTime(required=True)
    created_at = graphene.DateTime(required=True)
    succeeded_at = graphene.DateTime()

    @staticmethod
    def resolve_id(intent, info):
        return intent.public_id

    @staticmethod
    def resolve_amount(intent, info):
        return _money(intent.amount, intent.currency)

    @staticmethod
    def resolve_fee(intent, info):
        return _money(intent.fee_amount, intent.currency)

    @staticmethod
    def resolve_amount_refunded(intent, info):
        return _money(intent.amount_refunded, intent.currency)

    @staticmethod
    def resolve_organization_id(intent, info):
        return intent.organization.public_id

    @staticmethod
    def resolve_organization_name(intent, info):
        return intent.organization.name

    @staticmethod
    def resolve_pay_url(intent, info):
        url = api.pay_url(intent)
        return url if url.startswith("http") else info.context.build_absolute_uri(url)

    @staticmethod
    def resolve_receipt_url(intent, info):
        url = api.receipt_url(intent)
        return url if not url or url.startswith("http") else info.context.build_absolute_uri(url)


class CheckoutType(graphene.ObjectType):
    attempt = graphene.UUID(required=True)
    provider = graphene.String(required=True)
    method = graphene.String(required=True)
    kind = graphene.String(required=True)
    url = graphene.String(required=True)
    widget = graphene.JSONString(required=True)


class RefundType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    amount = graphene.Field(PaymentMoney, required=True)
    reason = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_id(refund, info):
        return refund.public_id

    @staticmethod
    def resolve_amount(refund, info):
        return _money(refund.amount, refund.currency)


class PayoutAccountType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    organization_id = graphene.UUID(required=True)
    kind = graphene.String(required=True)
    destination = graphene.String(required=True)
    holder_name = graphene.String(required=True)
    verified = graphene.Boolean(required=True)

    @staticmethod
    def resolve_id(account, info):
        return account.public_id

    @staticmethod
    def resolve_organization_id(account, info):
        return account.organization.public_id

    @staticmethod
    def resolve_destination(account, info):
        return account.masked

    @staticmethod
    def resolve_verified(account, info):
        return account.verified_at is not None


class PayoutType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    organization_id = graphene.UUID(required=True)
    amount = graphene.Field(PaymentMoney, required=True)
    status = graphene.String(required=True)
    destination = graphene.String(required=True)
    scheduled = graphene.Boolean(required=True)
    failure_reason = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    paid_at = graphene.DateTime()

    @staticmethod
    def resolve_id(payout, info):
        return payout.public_id

    @staticmethod
    def resolve_organization_id(payout, info):
        return payout.organization.public_id

    @staticmethod
    def resolve_amount(payout, info):
        return _money(payout.amount, payout.currency)

    @staticmethod
    def resolve_destination(payout, info):
        return payout.payout_account.masked
