"""GraphQL of lending's fund part (fields named lending<Thing>): the emergency fund, the
guarantors of the caller's loans and the guarantee requests addressed to the caller. The same
services as REST (services/fund.py, guarantors.py)."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user
from apps.core.graphql.types import Amount, MoneyField, PublicIdField, UTCDateTime
from apps.identity.api import authenticated

from .. import selectors
from ..errors import FundNotFound, GuarantorNotFound, LoanNotFound, NoticeNotFound
from ..services import fund as fund_service
from ..services import guarantors


def fund_view(fund) -> dict:
    info = fund_service.fund_info(fund)
    return {
        "public_id": fund.public_id,
        "currency": fund.currency,
        "balance": info.balance,
        "pledged": info.pledged,
        "available": info.available,
        "goal": fund.goal,
        "withdrawal_rule": fund.withdrawal_rule,
        "notice_days": fund.notice_days,
        "pending_rule": fund.pending_rule,
        "pending_rule_from": fund.pending_rule_from,
        "auto_amount": fund.auto_amount,
        "auto_frequency": fund.auto_frequency,
        "auto_next_on": fund.auto_next_on,
        "months_saving": info.months_saving,
    }


class LendingEmergencyFundType(graphene.ObjectType):
    class Meta:
        name = "LendingEmergencyFund"

    id = PublicIdField()
    currency = graphene.String(required=True)
    balance = MoneyField()
    pledged = MoneyField(description=_("Held for loans (pledged savings)"))
    available = MoneyField(description=_("What you may withdraw now"))
    goal = MoneyField()
    withdrawal_rule = graphene.String(required=True, description="no_lock or notice")
    notice_days = graphene.Int(required=True)
    pending_rule = graphene.String(required=True, description=_("A looser rule asked, not yet in force"))
    pending_rule_from = graphene.Date()
    auto_amount = MoneyField()
    auto_frequency = graphene.String(required=True, description="weekly, monthly or empty")
    auto_next_on = graphene.Date()
    months_saving = graphene.Int(required=True)


class LendingFundWithdrawalType(graphene.ObjectType):
    class Meta:
        name = "LendingFundWithdrawal"

    id = PublicIdField()
    status = graphene.String(required=True, description="pending, paid, cancelled or failed")
    amount = MoneyField(currency="fund.currency")
    paid_amount = MoneyField(currency="fund.currency")
    currency = graphene.String(required=True)
    available_on = graphene.Date(required=True)
    created_at = UTCDateTime(required=True)
    settled_at = UTCDateTime()

    @staticmethod
    def resolve_currency(row, info):
        return row.fund.currency


class LendingGuarantorType(graphene.ObjectType):
    class Meta:
        name = "LendingGuarantor"

    id = PublicIdField()
    loan = graphene.UUID(required=True)
    phone = graphene.String(required=True)
    name = graphene.String(required=True)
    status = graphene.String(required=True, description="invited, accepted, declined or revoked")
    pledge_amount = MoneyField(currency="loan.currency")
    responded_at = UTCDateTime()

    @staticmethod
    def resolve_loan(row, info):
        return row.loan.public_id


class LendingGuaranteeRequestType(graphene.ObjectType):
    """A guarantee asked of you: who asks, for what loan."""

    class Meta:
        name = "LendingGuaranteeRequest"

    id = PublicIdField()
    status = graphene.String(required=True)
    borrower_name = graphene.String(required=True)
    loan_number = graphene.String(required=True)
    product = graphene.String(required=True)
    principal = MoneyField("loan.principal", currency="loan.currency")
    term = graphene.Int(required=True)
    currency = graphene.String(required=True)
    pledge_amount = MoneyField(currency="loan.currency")
    created_at = UTCDateTime(required=True)

    @staticmethod
    def resolve_borrower_name(row, info):
        return row.loan.borrower.full_name

    @staticmethod
    def resolve_loan_number(row, info):
        return row.loan.number

    @staticmethod
    def resolve_product(row, info):
        return row.loan.product.name

    @staticmethod
    def resolve_term(row, info):
        return row.loan.term

    @staticmethod
    def resolve_currency(row, info):
        return row.loan.currency


def _own_fund(user, currency: str):
    fund = fund_service.fund_of(user, currency.upper())
    if fund is None:
        raise FundNotFound(field="currency")
    return fund


def _own_loan(user, loan_id):
    loan = selectors.own_loan_for_guarantors(user, loan_id)
    if loan is None:
        raise LoanNotFound(field="loanId")
    return loan


def _request(user, guarantee_id):
    row = guarantors.requests_for(user).filter(public_id=guarantee_id).first()
    if row is None:
        raise GuarantorNotFound(field="guaranteeId")
    return row


class FundQueries(graphene.ObjectType):
    lending_emergency_fund = graphene.Field(
        LendingEmergencyFundType,
        currency=graphene.String(default_value="XOF"),
        description=_("Your emergency fund in a currency (null when you have none)."),
    )
    lending_fund_withdrawals = graphene.List(
        graphene.NonNull(LendingFundWithdrawalType),
        required=True,
        currency=graphene.String(default_value="XOF"),
        first=graphene.Int(default_value=50),
    )
    lending_loan_guarantors = graphene.List(
        graphene.NonNull(LendingGuarantorType),
        required=True,
        loan_id=graphene.UUID(required=True),
        description=_("The guarantors of your loan."),
    )
    lending_guarantee_requests = graphene.List(
        graphene.NonNull(LendingGuaranteeRequestType),
        required=True,
        description=_("The guarantee requests addressed to your phone number, newest first."),
    )

    @staticmethod
    def resolve_lending_emergency_fund(root, info, currency="XOF"):
        actor = authenticated(current_user(info))
        fund = fund_service.fund_of(actor, currency.upper())
        return fund_view(fund) if fund is not None else None

    @staticmethod
    def resolve_lending_fund_withdrawals(root, info, currency="XOF", first=50):
        actor = authenticated(current_user(info))
        return list(selectors.own_fund_withdrawals(actor, currency.upper())[: clamp_first(first)])

    @staticmethod
    def resolve_lending_loan_guarantors(root, info, loan_id):
        actor = authenticated(current_user(info))
        loan = selectors.own_loan_for_guarantors(actor, loan_id)
        if loan is None:
            return []
        return list(loan.guarantors.exclude(status="revoked").select_related("loan").order_by("created_at"))

    @staticmethod
    def resolve_lending_guarantee_requests(root, info):
        actor = authenticated(current_user(info))
        return list(guarantors.requests_for(actor)[:50])


class LendingOpenEmergencyFund(HokweMutation):
    """Open your emergency fund (opening twice returns it): a goal and a withdrawal rule."""

    class Arguments:
        currency = graphene.String(default_value="XOF")
        goal = Amount(default_value=0)
        withdrawal_rule = graphene.String(default_value="no_lock", description="no_lock or notice")
        notice_days = graphene.Int(default_value=0)
        idempotency_key = graphene.String(required=True)

    fund = graphene.Field(LendingEmergencyFundType)

    @classmethod
    def perform(
        cls, info, user, *, idempotency_key, currency="XOF", goal=0, withdrawal_rule="no_lock", notice_days=0
    ):
        fund = fund_service.open_fund(
            actor=user,
            currency=currency.upper(),
            goal=goal,
            withdrawal_rule=withdrawal_rule,
            notice_days=notice_days,
        )
        return {"fund": fund_view(fund)}


class LendingUpdateEmergencyFund(HokweMutation):
    """Change the goal or the withdrawal rule (a looser rule binds after the current notice)."""

    class Arguments:
        currency = graphene.String(default_value="XOF")
        goal = Amount()
        withdrawal_rule = graphene.String()
        notice_days = graphene.Int()

    fund = graphene.Field(LendingEmergencyFundType)

    @classmethod
    def perform(cls, info, user, *, currency="XOF", goal=None, withdrawal_rule=None, notice_days=None):
        fund = fund_service.configure(
            actor=user,
            fund=_own_fund(user, currency),
            goal=goal,
            withdrawal_rule=withdrawal_rule,
            notice_days=notice_days,
        )
        return {"fund": fund_view(fund)}


class LendingSetFundAutomaticSavings(HokweMutation):
    """Automatic savings from your wallet: an amount every week or month (0 stops them)."""

    class Arguments:
        currency = graphene.String(default_value="XOF")
        amount = Amount(required=True)
        frequency = graphene.String(default_value="", description="weekly or monthly")
        start = graphene.Date()

    fund = graphene.Field(LendingEmergencyFundType)

    @classmethod
    def perform(cls, info, user, *, amount, currency="XOF", frequency="", start=None):
        fund = fund_service.set_automatic(
            actor=user, fund=_own_fund(user, currency), amount=amount, frequency=frequency or "", start=start
        )
        return {"fund": fund_view(fund)}


class LendingDepositToFund(HokweMutation):
    """Move money from your wallet into your emergency fund (idempotent on idempotencyKey)."""

    class Arguments:
        currency = graphene.String(default_value="XOF")
        amount = Amount(required=True)
        idempotency_key = graphene.String(required=True)

    fund = graphene.Field(LendingEmergencyFundType)
    transfer = graphene.UUID()

    @classmethod
    def perform(cls, info, user, *, amount, idempotency_key, currency="XOF"):
        fund = _own_fund(user, currency)
        result = fund_service.deposit(actor=user, fund=fund, amount=amount, idempotency_key=idempotency_key)
        return {"fund": fund_view(fund), "transfer": result.public_id}


class LendingWithdrawFromFund(HokweMutation):
    """Withdraw to your wallet: now with no lock, else on availableOn (idempotent)."""

    class Arguments:
        currency = graphene.String(default_value="XOF")
        amount = Amount(required=True)
        idempotency_key = graphene.String(required=True)

    withdrawal = graphene.Field(LendingFundWithdrawalType)

    @classmethod
    def perform(cls, info, user, *, amount, idempotency_key, currency="XOF"):
        notice = fund_service.withdraw(
            actor=user, fund=_own_fund(user, currency), amount=amount, idempotency_key=idempotency_key
        )
        return {"withdrawal": notice}


class LendingCancelFundWithdrawal(HokweMutation):
    """Cancel a withdrawal still waiting for its notice."""

    class Arguments:
        withdrawal_id = graphene.UUID(required=True)

    withdrawal = graphene.Field(LendingFundWithdrawalType)

    @classmethod
    def perform(cls, info, user, *, withdrawal_id):
        notice = selectors.own_fund_withdrawals(user).filter(public_id=withdrawal_id).first()
        if notice is None:
            raise NoticeNotFound(field="withdrawalId")
        return {"withdrawal": fund_service.cancel_notice(actor=user, notice=notice)}


class LendingInviteGuarantor(HokweMutation):
    """Ask someone by phone number to stand guarantor for your loan (an SMS)."""

    class Arguments:
        loan_id = graphene.UUID(required=True)
        phone = graphene.String(required=True)
        name = graphene.String(default_value="")
        idempotency_key = graphene.String(required=True)

    guarantor = graphene.Field(LendingGuarantorType)

    @classmethod
    def perform(cls, info, user, *, loan_id, phone, idempotency_key, name=""):
        row = guarantors.invite(actor=user, loan=_own_loan(user, loan_id), phone=phone, name=name)
        return {"guarantor": row}


class LendingRevokeGuarantor(HokweMutation):
    """Take back a guarantee request before the loan is accepted (a pledge is released)."""

    class Arguments:
        loan_id = graphene.UUID(required=True)
        guarantor_id = graphene.UUID(required=True)

    guarantor = graphene.Field(LendingGuarantorType)

    @classmethod
    def perform(cls, info, user, *, loan_id, guarantor_id):
        row = _own_loan(user, loan_id).guarantors.filter(public_id=guarantor_id).first()
        if row is None:
            raise GuarantorNotFound(field="guarantorId")
        return {"guarantor": guarantors.revoke(actor=user, guarantor=row)}


class LendingAcceptGuarantee(HokweMutation):
    """Accept to stand guarantor with identity's step-up (lending.guarantee.accept on the
    request's id, the loan's principal and currency); optionally pledge your own savings."""

    class Arguments:
        guarantee_id = graphene.UUID(required=True)
        step_up_token = graphene.String(required=True)
        pledge = Amount(default_value=0)

    request = graphene.Field(LendingGuaranteeRequestType)

    @classmethod
    def perform(cls, info, user, *, guarantee_id, step_up_token, pledge=0):
        row = guarantors.accept(
            actor=user, guarantor=_request(user, guarantee_id), step_up_token=step_up_token, pledge=pledge
        )
        return {"request": row}


class LendingDeclineGuarantee(HokweMutation):
    """Decline to stand guarantor (no code needed)."""

    class Arguments:
        guarantee_id = graphene.UUID(required=True)

    request = graphene.Field(LendingGuaranteeRequestType)

    @classmethod
    def perform(cls, info, user, *, guarantee_id):
        return {"request": guarantors.decline(actor=user, guarantor=_request(user, guarantee_id))}


class FundMutations(graphene.ObjectType):
    lending_open_emergency_fund = LendingOpenEmergencyFund.Field()
    lending_update_emergency_fund = LendingUpdateEmergencyFund.Field()
    lending_set_fund_automatic_savings = LendingSetFundAutomaticSavings.Field()
    lending_deposit_to_fund = LendingDepositToFund.Field()
    lending_withdraw_from_fund = LendingWithdrawFromFund.Field()
    lending_cancel_fund_withdrawal = LendingCancelFundWithdrawal.Field()
    lending_invite_guarantor = LendingInviteGuarantor.Field()
    lending_revoke_guarantor = LendingRevokeGuarantor.Field()
    lending_accept_guarantee = LendingAcceptGuarantee.Field()
    lending_decline_guarantee = LendingDeclineGuarantee.Field()
