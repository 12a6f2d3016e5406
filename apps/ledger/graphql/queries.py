"""LedgerQueries: read-only, scoped like REST (someone else's account is not found)."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.mutations import clamp_first, current_user
from apps.core.graphql.types import UTCDateTime
from apps.identity.api import authenticated

from .. import selectors
from .types import LedgerAccount, LedgerStatement


class LedgerQueries(graphene.ObjectType):
    ledger_accounts = graphene.List(
        graphene.NonNull(LedgerAccount),
        required=True,
        currency=graphene.String(),
        first=graphene.Int(default_value=50),
        description=_("My ledger accounts with their balances (at most 200)."),
    )
    ledger_account = graphene.Field(LedgerAccount, id=graphene.UUID(required=True))
    ledger_statement = graphene.Field(
        LedgerStatement,
        account_id=graphene.UUID(required=True),
        start=UTCDateTime(),
        end=UTCDateTime(),
        code=graphene.String(),
        after=graphene.Int(),
        first=graphene.Int(default_value=100),
    )

    @staticmethod
    def resolve_ledger_accounts(root, info, currency=None, first=50):
        qs = selectors.accounts_visible_to(authenticated(current_user(info)))
        if currency:
            qs = qs.filter(currency=currency)
        return list(qs.order_by("-created_at", "-public_id")[: clamp_first(first)])

    @staticmethod
    def resolve_ledger_account(root, info, id):
        return selectors.account_visible_to(authenticated(current_user(info)), id)

    @staticmethod
    def resolve_ledger_statement(
        root, info, account_id, start=None, end=None, code=None, after=None, first=100
    ):
        account = selectors.account_visible_to(authenticated(current_user(info)), account_id)
        return selectors.statement(
            account, start=start, end=end, code=code, after_sequence=after, limit=first
        )
