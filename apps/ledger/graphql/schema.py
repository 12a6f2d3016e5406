"""LedgerQueries: read-only, scoped like REST (someone else's account is not found)."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError

from .. import selectors
from .types import LedgerAccount, LedgerStatement


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401
    default_message = _("Authentication required.")


def _actor(info):
    user = getattr(info.context, "user", None)
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    return user


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
        start=graphene.DateTime(),
        end=graphene.DateTime(),
        code=graphene.String(),
        after=graphene.Int(),
        first=graphene.Int(default_value=100),
    )

    @staticmethod
    def resolve_ledger_accounts(root, info, currency=None, first=50):
        qs = selectors.accounts_visible_to(_actor(info))
        if currency:
            qs = qs.filter(currency=currency)
        return list(qs.order_by("-created_at", "-public_id")[: max(1, min(first, 200))])

    @staticmethod
    def resolve_ledger_account(root, info, id):
        return selectors.account_visible_to(_actor(info), id)

    @staticmethod
    def resolve_ledger_statement(
        root, info, account_id, start=None, end=None, code=None, after=None, first=100
    ):
        account = selectors.account_visible_to(_actor(info), account_id)
        return selectors.statement(
            account, start=start, end=end, code=code, after_sequence=after, limit=first
        )
