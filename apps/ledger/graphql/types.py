import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.types import Amount, MoneyField, PublicIdField, UTCDateTime

from .. import chart
from ..selectors import balance_of


class LedgerBalance(graphene.ObjectType):
    """A Balance (contracts.py), amounts in the balance's own currency."""

    posted = MoneyField()
    available = MoneyField(description=_("Posted less what pending holds reserve"))
    debits_pending = Amount(required=True)
    credits_pending = Amount(required=True)
    as_of = UTCDateTime()


class LedgerAccount(graphene.ObjectType):
    """A ledger account the viewer may see, with its balance (stored totals)."""

    id = PublicIdField()
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    currency = graphene.String(required=True)
    kind = graphene.String(required=True)
    owner_type = graphene.String(required=True)
    owner_id = graphene.UUID()
    closed = graphene.Boolean(required=True)
    balance = graphene.Field(LedgerBalance, required=True)

    @staticmethod
    def resolve_name(account, info):
        return chart.display_name(account.code, account.name)

    @staticmethod
    def resolve_owner_id(account, info):
        owner = account.owner_user or account.owner_organization
        return owner.public_id if owner is not None else None

    @staticmethod
    def resolve_closed(account, info):
        return account.closed_at is not None

    @staticmethod
    def resolve_balance(account, info):
        return balance_of(account)


class LedgerStatementLine(graphene.ObjectType):
    sequence = graphene.Int(required=True)
    transfer = graphene.UUID(required=True)
    code = graphene.String(required=True)
    description = graphene.String(required=True)
    reference = graphene.String(required=True)
    side = graphene.String(required=True)
    amount = Amount(required=True)
    balance_after = Amount(required=True)
    created_at = UTCDateTime(required=True)


class LedgerStatement(graphene.ObjectType):
    account = graphene.UUID(required=True)
    currency = graphene.String(required=True)
    opening_balance = Amount(required=True)
    lines = graphene.List(graphene.NonNull(LedgerStatementLine), required=True)
    next_after = graphene.Int(description=_("Pass as `after` for the next page; null at the end"))
