"""GraphQL of the wallet itself (fields named wallet<Thing>): the same services as REST
(services/wallets.py, topups.py, withdrawals.py, statement.py, rent.py). The caller only ever
sees their own wallet. The statement's CSV and PDF are REST only (files: tests/wallet/parity.py)."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user
from apps.core.graphql.types import Amount, MoneyField, PublicIdField, UTCDateTime
from apps.identity.api import authenticated
from apps.kyc import api as kyc
from apps.payments import api as payments

from .. import selectors
from ..services import rent, statement, topups, wallets, withdrawals


class WalletType(graphene.ObjectType):
    class Meta:
        name = "Wallet"

    id = PublicIdField()
    currency = graphene.String(required=True)
    status = graphene.String(required=True, description="active, frozen or closed")
    balance = MoneyField()
    available = MoneyField(description=_("The balance less what pending withdrawals hold"))
    dormant_since = UTCDateTime()


class WalletUsageType(graphene.ObjectType):
    """What the caller used (stored totals) against their verification level's limits."""

    class Meta:
        name = "WalletUsage"

    tier = graphene.Int(required=True)
    currency = graphene.String(required=True)
    balance = MoneyField()
    inflow_this_month = MoneyField()
    outflow_today = MoneyField()
    max_balance = MoneyField()
    monthly_inflow = MoneyField()
    daily_outflow = MoneyField()
    single_transaction = MoneyField()


class WalletTopUpType(graphene.ObjectType):
    class Meta:
        name = "WalletTopUp"

    id = PublicIdField()
    status = graphene.String(required=True, description="pending, succeeded or failed")
    amount = MoneyField()
    currency = graphene.String(required=True)
    intent = graphene.UUID(description=_("The payment intent to pay (payments)"))
    pay_url = graphene.String(required=True)
    created_at = UTCDateTime(required=True)
    credited_at = UTCDateTime()

    @staticmethod
    def resolve_pay_url(row, info):
        return payments.get_intent(row.intent).pay_url if row.intent else ""


class WalletWithdrawalType(graphene.ObjectType):
    class Meta:
        name = "WalletWithdrawal"

    id = PublicIdField()
    status = graphene.String(required=True, description="requested, paid or failed")
    amount = MoneyField()
    currency = graphene.String(required=True)
    phone = graphene.String(required=True, description=_("Masked"))
    failure_reason = graphene.String(required=True)
    created_at = UTCDateTime(required=True)
    completed_at = UTCDateTime()

    @staticmethod
    def resolve_phone(row, info):
        return f"****{row.phone[-4:]}"


class WalletStatementLineType(graphene.ObjectType):
    class Meta:
        name = "WalletStatementLine"

    sequence = graphene.Int(required=True)
    date = UTCDateTime(required=True)
    code = graphene.String(required=True)
    label = graphene.String(required=True)
    description = graphene.String(required=True)
    amount = MoneyField(description=_("Signed: money in > 0, money out < 0"))
    balance = MoneyField(description=_("The running balance after the line"))
    currency = graphene.String(required=True)


class WalletStatementType(graphene.ObjectType):
    class Meta:
        name = "WalletStatement"

    opening_balance = MoneyField()
    currency = graphene.String(required=True)
    lines = graphene.List(graphene.NonNull(WalletStatementLineType), required=True)
    next_after = graphene.Int()


class WalletRentDueType(graphene.ObjectType):
    class Meta:
        name = "WalletRentDue"

    id = PublicIdField()
    lease = graphene.UUID(required=True)
    period = graphene.Date(required=True)
    due_date = graphene.Date(required=True)
    status = graphene.String(required=True)
    total = MoneyField()
    paid = MoneyField()
    outstanding = MoneyField()
    currency = graphene.String(required=True)


class WalletPaidDueType(graphene.ObjectType):
    class Meta:
        name = "WalletPaidDue"

    intent = graphene.UUID(required=True)
    status = graphene.String(required=True)
    amount = MoneyField()
    currency = graphene.String(required=True)
    receipt_number = graphene.String(required=True)
    receipt_url = graphene.String(required=True)

    @staticmethod
    def resolve_intent(info_, info):
        return info_.public_id


def _wallet_view(wallet):
    return wallets.wallet_info(wallet)


def _usage_view(user, currency):
    used = wallets.usage(user, currency)
    limits = kyc.limits_for(user)
    return {
        "tier": limits.tier,
        "currency": currency,
        "balance": used.balance,
        "inflow_this_month": used.inflow_this_month,
        "outflow_today": used.outflow_today,
        "max_balance": limits.max_balance,
        "monthly_inflow": limits.monthly_inflow,
        "daily_outflow": limits.daily_outflow,
        "single_transaction": limits.single_transaction,
    }


class WalletCoreQueries(graphene.ObjectType):
    wallet_account = graphene.Field(
        graphene.NonNull(WalletType),
        currency=graphene.String(default_value="XOF"),
        description=_("Your wallet in a currency (created on first use)."),
    )
    wallet_usage = graphene.Field(
        graphene.NonNull(WalletUsageType),
        currency=graphene.String(default_value="XOF"),
        description=_("What you used against your verification level's limits."),
    )
    wallet_top_ups = graphene.List(
        graphene.NonNull(WalletTopUpType),
        required=True,
        currency=graphene.String(default_value="XOF"),
        first=graphene.Int(default_value=50),
    )
    wallet_withdrawals = graphene.List(
        graphene.NonNull(WalletWithdrawalType),
        required=True,
        currency=graphene.String(default_value="XOF"),
        first=graphene.Int(default_value=50),
    )
    wallet_statement = graphene.Field(
        graphene.NonNull(WalletStatementType),
        currency=graphene.String(default_value="XOF"),
        start=UTCDateTime(),
        end=UTCDateTime(),
        after=graphene.Int(),
        first=graphene.Int(default_value=50),
        description=_("Your statement with the running balance, oldest first; page with after=nextAfter."),
    )
    wallet_rent_dues = graphene.List(
        graphene.NonNull(WalletRentDueType),
        required=True,
        description=_("Your open rent dues, oldest first."),
    )

    @staticmethod
    def resolve_wallet_account(root, info, currency="XOF"):
        actor = authenticated(current_user(info))
        return _wallet_view(wallets.wallet_for(actor, currency.upper()))

    @staticmethod
    def resolve_wallet_usage(root, info, currency="XOF"):
        actor = authenticated(current_user(info))
        return _usage_view(actor, currency.upper())

    @staticmethod
    def resolve_wallet_top_ups(root, info, currency="XOF", first=50):
        actor = authenticated(current_user(info))
        return list(selectors.own_topups(actor, currency.upper())[: clamp_first(first)])

    @staticmethod
    def resolve_wallet_withdrawals(root, info, currency="XOF", first=50):
        actor = authenticated(current_user(info))
        return list(selectors.own_withdrawals(actor, currency.upper())[: clamp_first(first)])

    @staticmethod
    def resolve_wallet_statement(root, info, currency="XOF", start=None, end=None, after=None, first=50):
        actor = authenticated(current_user(info))
        wallet = wallets.wallet_for(actor, currency.upper())
        opening, lines, next_after = statement.statement_page(
            wallet, start=start, end=end, after=after, limit=clamp_first(first)
        )
        return {
            "opening_balance": opening,
            "currency": wallet.currency,
            "lines": [{**line.__dict__, "currency": wallet.currency} for line in lines],
            "next_after": next_after,
        }

    @staticmethod
    def resolve_wallet_rent_dues(root, info):
        actor = authenticated(current_user(info))
        return rent.open_dues(actor)


class WalletStartTopUp(HokweMutation):
    """Top up by mobile money: pay the returned intent at payUrl; the wallet is credited when
    it is paid (idempotent on idempotencyKey)."""

    class Arguments:
        amount = Amount(required=True)
        currency = graphene.String(default_value="XOF")
        idempotency_key = graphene.String(required=True)

    top_up = graphene.Field(WalletTopUpType)

    @classmethod
    def perform(cls, info, user, *, amount, idempotency_key, currency="XOF"):
        row, _intent = topups.topup_start(
            actor=user, amount=amount, currency=currency.upper(), idempotency_key=idempotency_key
        )
        return {"top_up": row}


class WalletRequestWithdrawal(HokweMutation):
    """Withdraw to your own mobile money number (the strong step-up of
    wallet.withdrawal.create on your wallet's id with the amount and currency)."""

    class Arguments:
        amount = Amount(required=True)
        currency = graphene.String(default_value="XOF")
        phone = graphene.String()
        step_up_token = graphene.String()
        idempotency_key = graphene.String(required=True)

    withdrawal = graphene.Field(WalletWithdrawalType)

    @classmethod
    def perform(cls, info, user, *, amount, idempotency_key, currency="XOF", phone=None, step_up_token=None):
        row = withdrawals.withdrawal_request(
            actor=user,
            amount=amount,
            currency=currency.upper(),
            phone=phone or None,
            step_up_token=step_up_token or None,
            idempotency_key=idempotency_key,
        )
        return {"withdrawal": row}


class WalletPayRentDue(HokweMutation):
    """Pay what is still owed on one of your dues from your wallet (idempotent on
    idempotencyKey): the agency is paid and the quittance issued."""

    class Arguments:
        due_id = graphene.UUID(required=True)
        currency = graphene.String(default_value="XOF")
        idempotency_key = graphene.String(required=True)
        step_up_token = graphene.String(
            description="identity's step-up proof above WALLET_RENT_STEP_UP_ABOVE"
        )

    payment = graphene.Field(WalletPaidDueType)

    @classmethod
    def perform(cls, info, user, *, due_id, idempotency_key, currency="XOF", step_up_token=None):
        wallet = wallets.wallet_for(user, currency.upper())
        paid = rent.pay_rent_due(
            actor=user,
            due=due_id,
            account=wallet.account,
            idempotency_key=f"wallet:due:{user.public_id}:{idempotency_key}",
            out_of=wallet,
            step_up_token=step_up_token or None,
        )
        return {"payment": paid}


class WalletCoreMutations(graphene.ObjectType):
    wallet_start_top_up = WalletStartTopUp.Field()
    wallet_request_withdrawal = WalletRequestWithdrawal.Field()
    wallet_pay_rent_due = WalletPayRentDue.Field()


__all__ = ["WalletCoreMutations", "WalletCoreQueries"]
