"""Payments' GraphQL types. Amounts are core's `MoneyType` (through `MoneyField`, read
with the row's own currency); ids are public UUIDs."""

import graphene

from apps.core.graphql.types import MoneyField, PublicIdField, UTCDateTime

from .. import api, selectors


def _absolute(info, url: str) -> str:
    return url if not url or url.startswith("http") else info.context.build_absolute_uri(url)


CURRENT_ATTEMPT = "_hokwe_current_attempt"


def with_current_attempts(intents):
    """Attach (provider, method) of each pending intent's latest attempt, one query for the
    list (selectors.current_attempts), so `provider` and `method` cost no query per row."""
    found = selectors.current_attempts(intents)
    for intent in intents:
        setattr(intent, CURRENT_ATTEMPT, found.get(intent.pk, (intent.provider, intent.method)))
    return intents


class PaymentIntentType(graphene.ObjectType):
    id = PublicIdField()
    status = graphene.String(required=True)
    amount = MoneyField()
    fee = MoneyField("fee_amount")
    amount_refunded = MoneyField()
    organization_id = graphene.UUID(required=True)
    organization_name = graphene.String(required=True)
    description = graphene.String(required=True)
    purpose_type = graphene.String(required=True)
    purpose_id = graphene.String(required=True)
    payer_name = graphene.String(required=True)
    provider = graphene.String(
        required=True, description="The provider of the payment; while pending, that of the attempt under way"
    )
    method = graphene.String(
        required=True, description="The method of the payment; while pending, that of the attempt under way"
    )
    receipt_number = graphene.String(required=True)
    pay_url = graphene.String(required=True)
    receipt_url = graphene.String(required=True)
    expires_at = UTCDateTime(required=True)
    created_at = UTCDateTime(required=True)
    succeeded_at = UTCDateTime()

    @staticmethod
    def _current(intent) -> tuple[str, str]:
        """(provider, method): the intent's own, or while pending its latest attempt's. A
        list resolver fills them for the whole page in one query (`with_current_attempts`);
        a single intent asks once, not once per field."""
        if intent.provider or intent.status != "pending" or getattr(intent, "pk", None) is None:
            return intent.provider, intent.method
        current = getattr(intent, CURRENT_ATTEMPT, None)
        if current is None:
            with_current_attempts([intent])
            current = getattr(intent, CURRENT_ATTEMPT)
        return current

    @staticmethod
    def resolve_provider(intent, info):
        return PaymentIntentType._current(intent)[0]

    @staticmethod
    def resolve_method(intent, info):
        return PaymentIntentType._current(intent)[1]

    @staticmethod
    def resolve_organization_id(intent, info):
        return intent.organization.public_id

    @staticmethod
    def resolve_organization_name(intent, info):
        return intent.organization.name

    @staticmethod
    def resolve_pay_url(intent, info):
        return _absolute(info, api.pay_url(intent))

    @staticmethod
    def resolve_receipt_url(intent, info):
        return _absolute(info, api.receipt_url(intent))


class CheckoutType(graphene.ObjectType):
    attempt = graphene.UUID(required=True)
    provider = graphene.String(required=True)
    method = graphene.String(required=True)
    kind = graphene.String(required=True)
    url = graphene.String(required=True)
    widget = graphene.JSONString(required=True)

    @classmethod
    def of(cls, info, attempt, checkout) -> "CheckoutType":
        return cls(
            attempt=attempt.public_id,
            provider=attempt.provider,
            method=attempt.method,
            kind=checkout.kind,
            url=_absolute(info, checkout.url) if checkout.url.startswith("/") else checkout.url,
            widget=checkout.widget,
        )


class RefundType(graphene.ObjectType):
    id = PublicIdField()
    amount = MoneyField()
    status = graphene.String(required=True)
    reason = graphene.String(required=True)
    via = graphene.String(
        required=True,
        description='"provider", or "payout": paid to the payer\'s mobile money number by a payout',
    )
    failure_reason = graphene.String(required=True)
    created_at = UTCDateTime(required=True)


class PayoutAccountType(graphene.ObjectType):
    id = PublicIdField()
    organization_id = graphene.UUID(required=True)
    kind = graphene.String(required=True)
    destination = graphene.String(required=True)
    holder_name = graphene.String(required=True)
    verified = graphene.Boolean(required=True)
    active = graphene.Boolean(required=True)
    verified_via = graphene.String(
        required=True, description='"step_up", "name_lookup", "staff", or "" while it waits for staff'
    )
    verification_note = graphene.String(
        required=True, description="Why the account waits for staff review, or how it was verified."
    )

    @staticmethod
    def resolve_organization_id(account, info):
        return account.organization.public_id

    @staticmethod
    def resolve_destination(account, info):
        return account.masked

    @staticmethod
    def resolve_verified(account, info):
        return account.verified_at is not None

    @staticmethod
    def resolve_active(account, info):
        return account.is_active


class PayoutType(graphene.ObjectType):
    id = PublicIdField()
    organization_id = graphene.UUID(required=True)
    amount = MoneyField()
    status = graphene.String(required=True)
    destination = graphene.String(required=True)
    scheduled = graphene.Boolean(required=True)
    failure_reason = graphene.String(required=True)
    created_at = UTCDateTime(required=True)
    paid_at = UTCDateTime()

    @staticmethod
    def resolve_organization_id(payout, info):
        return payout.organization.public_id

    @staticmethod
    def resolve_destination(payout, info):
        return payout.destination
