"""GraphQL of the borrower's loans (fields named lending<Thing>): the same services as REST
(services/borrower.py onto the lifecycle's and the repayments' services). The caller only
ever sees their own loans. The key facts PDF is REST only (a file: tests/lending/parity.py)."""

import graphene
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user
from apps.core.graphql.types import Amount, MoneyField, PublicIdField, UTCDateTime
from apps.identity.api import authenticated

from ..services import borrower


def or_none(func):
    """Decorate a resolver: what the caller may not see (another's loan, a product not
    offered: a 404 refusal) resolves to null."""

    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except DomainError as exc:
            if getattr(exc, "status", None) != 404:
                raise
            return None

    wrapper.__name__ = getattr(func, "__name__", "resolver")
    wrapper.__doc__ = func.__doc__
    return wrapper


def _lang() -> str:
    return (get_language() or "fr")[:2]


class LendingProductType(graphene.ObjectType):
    class Meta:
        name = "LendingProduct"

    id = PublicIdField()
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    summary = graphene.String(required=True)
    destination = graphene.String(required=True, description="wallet, rent_due or payout")
    currency = graphene.String(required=True)
    min_amount = MoneyField()
    max_amount = MoneyField()
    min_term = graphene.Int(required=True)
    max_term = graphene.Int(required=True)
    frequency = graphene.String(required=True, description="weekly or monthly")
    annual_rate_bps = graphene.Int(required=True, description=_("The nominal annual rate, in basis points"))
    prepayment_allowed = graphene.Boolean(required=True)
    requires_guarantor = graphene.Boolean(required=True)


class LendingScheduleLineType(graphene.ObjectType):
    class Meta:
        name = "LendingScheduleLine"

    number = graphene.Int(required=True)
    due_date = graphene.Date(required=True)
    principal = MoneyField()
    interest = MoneyField()
    fee = MoneyField()
    total = MoneyField()
    currency = graphene.String(required=True)


class LendingSimulationType(graphene.ObjectType):
    class Meta:
        name = "LendingSimulation"

    product = graphene.UUID(required=True)
    currency = graphene.String(required=True)
    amount = MoneyField()
    term = graphene.Int(required=True)
    upfront_fee = MoneyField(description=_("Taken from the amount at disbursement"))
    received = MoneyField(description=_("What is paid out: the amount less the upfront fee"))
    total_interest = MoneyField()
    total_fees = MoneyField()
    total_cost = MoneyField(description=_("Interest and every fee"))
    total_repaid = MoneyField()
    teg_bps = graphene.Int(required=True, description=_("The effective annual rate (TEG), in basis points"))
    lines = graphene.List(graphene.NonNull(LendingScheduleLineType), required=True)


class LendingInstalmentType(graphene.ObjectType):
    class Meta:
        name = "LendingInstalment"

    number = graphene.Int(required=True)
    due_date = graphene.Date(required=True)
    status = graphene.String(required=True, description="pending, partly_paid, paid or waived")
    principal = MoneyField(currency="loan.currency")
    interest = MoneyField(currency="loan.currency")
    fee = MoneyField(currency="loan.currency")
    penalty = MoneyField(currency="loan.currency", description=_("Late fees"))
    total = MoneyField(currency="loan.currency")
    paid = MoneyField(currency="loan.currency")
    owed = MoneyField(currency="loan.currency")
    paid_on = graphene.Date()


class LendingRepaymentType(graphene.ObjectType):
    class Meta:
        name = "LendingRepayment"

    id = PublicIdField()
    channel = graphene.String(required=True, description="wallet, fund, momo, cash, rents or prepayment")
    amount = MoneyField(description=_("What came in"))
    fees = MoneyField()
    interest = MoneyField()
    principal = MoneyField()
    excess = MoneyField(description=_("Given back to the wallet"))
    currency = graphene.String(required=True)
    paid_on = graphene.Date(required=True)
    created_at = UTCDateTime(required=True)


class LendingReasonType(graphene.ObjectType):
    class Meta:
        name = "LendingReason"

    code = graphene.String(required=True)
    text = graphene.String(required=True)


class LendingLoanType(graphene.ObjectType):
    """One of the caller's loans; `schedule`, `repayments`, `decisionReasons` and `keyFacts`
    are read on lendingLoan (the list answers them empty)."""

    class Meta:
        name = "LendingLoan"

    id = PublicIdField()
    number = graphene.String(required=True)
    status = graphene.String(required=True)
    product = graphene.UUID(required=True)
    product_name = graphene.String(required=True)
    destination = graphene.String(required=True)
    currency = graphene.String(required=True)
    principal = MoneyField()
    term = graphene.Int(required=True)
    frequency = graphene.String(required=True)
    annual_rate_bps = graphene.Int(required=True)
    teg_bps = graphene.Int(required=True)
    upfront_fee = MoneyField()
    total_interest = MoneyField()
    outstanding = MoneyField(description=_("Principal, interest and fees owed now"))
    principal_outstanding = MoneyField()
    interest_outstanding = MoneyField()
    fees_outstanding = MoneyField()
    days_past_due = graphene.Int(required=True)
    offer_expires_at = UTCDateTime()
    disbursed_on = graphene.Date()
    closed_on = graphene.Date()
    created_at = UTCDateTime(required=True)
    purpose = graphene.String(required=True)
    first_due_date = graphene.Date()
    decision_reasons = graphene.List(graphene.NonNull(LendingReasonType), required=True)
    key_facts = graphene.JSONString(required=True)
    schedule = graphene.List(graphene.NonNull(LendingInstalmentType), required=True)
    repayments = graphene.List(graphene.NonNull(LendingRepaymentType), required=True)

    @staticmethod
    def resolve_product(view, info):
        return view["product_id"]

    @staticmethod
    def resolve_decision_reasons(view, info):
        return view.get("decision_reasons", [])

    @staticmethod
    def resolve_key_facts(view, info):
        return view.get("key_facts", {})

    @staticmethod
    def resolve_schedule(view, info):
        return view.get("schedule", [])

    @staticmethod
    def resolve_repayments(view, info):
        return view.get("repayments", [])


class LendingPrepaymentQuoteType(graphene.ObjectType):
    class Meta:
        name = "LendingPrepaymentQuote"

    loan = graphene.UUID(required=True)
    on = graphene.Date(required=True)
    allowed = graphene.Boolean(required=True)
    currency = graphene.String(required=True)
    principal = MoneyField()
    interest = MoneyField()
    fees = MoneyField()
    total = MoneyField()


class LendingPayLinkType(graphene.ObjectType):
    class Meta:
        name = "LendingPayLink"

    intent = graphene.UUID(required=True)
    status = graphene.String(required=True)
    amount = MoneyField()
    currency = graphene.String(required=True)
    pay_url = graphene.String(required=True)

    @staticmethod
    def resolve_intent(intent, info):
        return intent.public_id


def _detail(user, loan_id):
    loan = borrower.loan_of(user, loan_id, with_schedule=True)
    return borrower.loan_view(loan, _lang(), detail=True)


class LoansQueries(graphene.ObjectType):
    lending_products = graphene.List(
        graphene.NonNull(LendingProductType),
        required=True,
        description=_("The loan products you may apply for."),
    )
    lending_product_simulation = graphene.Field(
        LendingSimulationType,
        product_id=graphene.UUID(required=True),
        amount=Amount(required=True),
        term=graphene.Int(required=True),
        description=_("What a loan of this product would cost: the schedule, the total cost and the TEG."),
    )
    lending_loans = graphene.List(
        graphene.NonNull(LendingLoanType),
        required=True,
        first=graphene.Int(default_value=50),
        description=_("Your loans, newest first."),
    )
    lending_loan = graphene.Field(
        LendingLoanType,
        loan_id=graphene.UUID(required=True),
        description=_("One of your loans, with its schedule, repayments and key facts."),
    )
    lending_loan_prepayment = graphene.Field(
        LendingPrepaymentQuoteType,
        loan_id=graphene.UUID(required=True),
        description=_("What paying your loan off today takes."),
    )

    @staticmethod
    def resolve_lending_products(root, info):
        actor = authenticated(current_user(info))
        lang = _lang()
        return [borrower.product_view(p, lang) for p in borrower.products_for(actor)]

    @staticmethod
    @or_none
    def resolve_lending_product_simulation(root, info, product_id, amount, term):
        actor = authenticated(current_user(info))
        product = borrower.product_for(actor, product_id)
        return borrower.simulate(product, user=actor, amount=amount, term=term, language=_lang())

    @staticmethod
    def resolve_lending_loans(root, info, first=50):
        actor = authenticated(current_user(info))
        lang = _lang()
        return [borrower.loan_view(loan, lang) for loan in borrower.loans_of(actor)[: clamp_first(first)]]

    @staticmethod
    @or_none
    def resolve_lending_loan(root, info, loan_id):
        return _detail(authenticated(current_user(info)), loan_id)

    @staticmethod
    @or_none
    def resolve_lending_loan_prepayment(root, info, loan_id):
        actor = authenticated(current_user(info))
        quote = borrower.prepayment_quote(borrower.loan_of(actor, loan_id))
        return {**quote.__dict__, "total": quote.total}


class LendingApplyForLoan(HokweMutation):
    """Apply for a product (idempotent on idempotencyKey): the rules decide at once — an
    offer to accept, a refusal with its reasons, or a review by credit staff."""

    class Arguments:
        product_id = graphene.UUID(required=True)
        amount = Amount(required=True)
        term = graphene.Int(required=True)
        purpose = graphene.String()
        destination_ref = graphene.String(description="The rent due's id when the loan pays a rent due")
        idempotency_key = graphene.String(required=True)

    loan = graphene.Field(LendingLoanType)

    @classmethod
    def perform(
        cls, info, user, *, product_id, amount, term, idempotency_key, purpose="", destination_ref=""
    ):
        loan = borrower.apply_for(
            actor=user,
            product_id=product_id,
            amount=amount,
            term=term,
            purpose=purpose or "",
            destination_ref=destination_ref or "",
            idempotency_key=idempotency_key,
        )
        return {"loan": _detail(user, loan.public_id)}


class LendingAcceptLoanOffer(HokweMutation):
    """Accept your offer with identity's step-up proof (identityStartStepUp with the action
    lending.loan.accept, the loan's id as target, its principal and currency): the key facts
    are kept with the loan and the money is paid out."""

    class Arguments:
        loan_id = graphene.UUID(required=True)
        step_up_token = graphene.String(required=True)

    loan = graphene.Field(LendingLoanType)

    @classmethod
    def perform(cls, info, user, *, loan_id, step_up_token):
        borrower.accept_offer(actor=user, loan_id=loan_id, step_up_token=step_up_token)
        return {"loan": _detail(user, loan_id)}


class LendingWithdrawLoan(HokweMutation):
    """Give up your application or offer (before the money is paid out)."""

    class Arguments:
        loan_id = graphene.UUID(required=True)

    loan = graphene.Field(LendingLoanType)

    @classmethod
    def perform(cls, info, user, *, loan_id):
        borrower.withdraw_application(actor=user, loan_id=loan_id)
        return {"loan": _detail(user, loan_id)}


class LendingRepayLoan(HokweMutation):
    """Repay now from your wallet (idempotent on idempotencyKey)."""

    class Arguments:
        loan_id = graphene.UUID(required=True)
        amount = Amount(required=True)
        idempotency_key = graphene.String(required=True)

    loan = graphene.Field(LendingLoanType)

    @classmethod
    def perform(cls, info, user, *, loan_id, amount, idempotency_key):
        borrower.repay_from_wallet(
            actor=user, loan_id=loan_id, amount=amount, idempotency_key=idempotency_key
        )
        return {"loan": _detail(user, loan_id)}


class LendingCreateLoanPayLink(HokweMutation):
    """A mobile money pay link for your loan (default amount: what is due now; idempotent on
    idempotencyKey)."""

    atomic = False  # payments may call its provider: its service commits before

    class Arguments:
        loan_id = graphene.UUID(required=True)
        amount = Amount()
        idempotency_key = graphene.String(required=True)

    pay_link = graphene.Field(LendingPayLinkType)

    @classmethod
    def perform(cls, info, user, *, loan_id, idempotency_key, amount=None):
        intent = borrower.pay_link(
            actor=user, loan_id=loan_id, amount=amount, idempotency_key=idempotency_key
        )
        return {"pay_link": intent}


class LoansMutations(graphene.ObjectType):
    lending_apply_for_loan = LendingApplyForLoan.Field()
    lending_accept_loan_offer = LendingAcceptLoanOffer.Field()
    lending_withdraw_loan = LendingWithdrawLoan.Field()
    lending_repay_loan = LendingRepayLoan.Field()
    lending_create_loan_pay_link = LendingCreateLoanPayLink.Field()


__all__ = ["LoansMutations", "LoansQueries"]
