"""PaymentsQueries: scoped like REST; an intent, payout or payout account the caller may
not see is null (the same answer as one that does not exist), a list is empty.

Root fields are named `payments<Thing>` (docs/api.md, "GraphQL naming"); the former names
(paymentIntent, myPayments, payoutAccounts, payouts) remain as deprecated aliases."""

from __future__ import annotations

import graphene

from apps.core.graphql.mutations import clamp_first, current_user, or_none
from apps.core.graphql.types import deprecated_alias

from .. import selectors
from .types import PaymentIntentType, PayoutAccountType, PayoutType, with_current_attempts


class PaymentsQueries(graphene.ObjectType):
    payments_intent = graphene.Field(PaymentIntentType, id=graphene.UUID(required=True))
    payments_mine = graphene.List(
        graphene.NonNull(PaymentIntentType),
        required=True,
        status=graphene.String(),
        organization_id=graphene.UUID(),
        first=graphene.Int(default_value=50),
        description="Intents of my organizations and those I pay, newest first (at most 200).",
    )
    payments_payout_accounts = graphene.List(graphene.NonNull(PayoutAccountType), required=True)
    payments_payouts = graphene.List(
        graphene.NonNull(PayoutType), required=True, first=graphene.Int(default_value=50)
    )

    @staticmethod
    @or_none
    def resolve_payments_intent(root, info, id):
        user = current_user(info)
        return selectors.intent_visible_to(user, id) if user else None

    @staticmethod
    def resolve_payments_mine(root, info, status=None, organization_id=None, first=50):
        user = current_user(info)
        if user is None:
            return []
        qs = selectors.intents_visible_to(user)
        if status:
            qs = qs.filter(status=status)
        if organization_id:
            qs = qs.filter(organization__public_id=organization_id)
        return with_current_attempts(list(qs.order_by("-created_at", "-id")[: clamp_first(first)]))

    @staticmethod
    def resolve_payments_payout_accounts(root, info):
        user = current_user(info)
        return list(selectors.payout_accounts_visible_to(user).order_by("-created_at")) if user else []

    @staticmethod
    def resolve_payments_payouts(root, info, first=50):
        user = current_user(info)
        if user is None:
            return []
        return list(selectors.payouts_visible_to(user).order_by("-created_at")[: clamp_first(first)])

    payment_intent = deprecated_alias(payments_intent, use="paymentsIntent", resolver=resolve_payments_intent)
    my_payments = deprecated_alias(payments_mine, use="paymentsMine", resolver=resolve_payments_mine)
    payout_accounts = deprecated_alias(
        payments_payout_accounts, use="paymentsPayoutAccounts", resolver=resolve_payments_payout_accounts
    )
    payouts = deprecated_alias(payments_payouts, use="paymentsPayouts", resolver=resolve_payments_payouts)
