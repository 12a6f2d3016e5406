"""GraphQL of landlord advances (fields named lending<Thing>): the same services as REST
(services/advance.py). An owner of an owner organization sees its rents under management,
the advance they allow, and the organization's advances; another organization's is null."""

import graphene
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user, or_none
from apps.core.graphql.types import Amount, MoneyField, PublicIdField
from apps.identity.api import authenticated

from ..services import advance, borrower
from .loans import LendingLoanType, LendingProductType, LendingReasonType, LendingSimulationType


def _lang() -> str:
    return (get_language() or "fr")[:2]


class LendingAdvanceOrganizationType(graphene.ObjectType):
    class Meta:
        name = "LendingAdvanceOrganization"

    id = PublicIdField()
    name = graphene.String(required=True)


class LendingRentMonthType(graphene.ObjectType):
    class Meta:
        name = "LendingRentMonth"

    period = graphene.Date(required=True, description=_("The first day of the month"))
    billed = MoneyField()
    collected = MoneyField()
    net = MoneyField(description=_("The owner's share of what was collected (less the commission)"))
    currency = graphene.String(required=True)


class LendingAdvanceEligibilityType(graphene.ObjectType):
    class Meta:
        name = "LendingAdvanceEligibility"

    organization = graphene.UUID(required=True)
    product = graphene.UUID(required=True)
    currency = graphene.String(required=True)
    eligible = graphene.Boolean(required=True)
    minimum = MoneyField(description=_("The product's smallest advance"))
    maximum = MoneyField(description=_("The largest advance possible now"))
    limit = MoneyField(description=_("What the rents allow now, less what open advances owe"))
    monthly_net = MoneyField(description=_("Average monthly net rent collected over 12 months"))
    expected_net = MoneyField(description=_("Net rent expected from the active leases over the next months"))
    owed = MoneyField(description=_("What open advances still owe"))
    months_collected = graphene.Int(required=True)
    collection_rate_bps = graphene.Int(required=True, description=_("Collected over billed, in basis points"))
    reasons = graphene.List(graphene.NonNull(LendingReasonType), required=True)
    history = graphene.List(graphene.NonNull(LendingRentMonthType), required=True)


class LendingAdvanceSimulationType(LendingSimulationType):
    class Meta:
        name = "LendingAdvanceSimulation"

    eligibility = graphene.Field(LendingAdvanceEligibilityType, required=True)


class LendingAdvanceType(LendingLoanType):
    class Meta:
        name = "LendingAdvance"

    organization = graphene.UUID(required=True)


def _detail(user, loan_id):
    return advance.advance_view(advance.advance_detail(user, loan_id), _lang(), detail=True)


class AdvanceQueries(graphene.ObjectType):
    lending_advance_organizations = graphene.List(
        graphene.NonNull(LendingAdvanceOrganizationType),
        required=True,
        description=_("The owner organizations you are an owner of."),
    )
    lending_advance_products = graphene.List(
        graphene.NonNull(LendingProductType),
        required=True,
        description=_("The advance products offered to landlords."),
    )
    lending_advance_eligibility = graphene.Field(
        LendingAdvanceEligibilityType,
        organization=graphene.UUID(required=True),
        product_id=graphene.UUID(required=True),
        description=_("Your organization's rents under management and the advance they allow now."),
    )
    lending_advance_simulation = graphene.Field(
        LendingAdvanceSimulationType,
        organization=graphene.UUID(required=True),
        product_id=graphene.UUID(required=True),
        amount=Amount(required=True),
        term=graphene.Int(required=True),
        description=_("What an advance would cost and whether the rents allow it."),
    )
    lending_advances = graphene.List(
        graphene.NonNull(LendingAdvanceType),
        required=True,
        first=graphene.Int(default_value=50),
        description=_("The advances of the organizations you own, newest first."),
    )
    lending_advance = graphene.Field(
        LendingAdvanceType,
        loan_id=graphene.UUID(required=True),
        description=_("One advance of your organizations, with its schedule and repayments."),
    )

    @staticmethod
    def resolve_lending_advance_organizations(root, info):
        return advance.owned_organizations(authenticated(current_user(info)))

    @staticmethod
    def resolve_lending_advance_products(root, info):
        authenticated(current_user(info))
        lang = _lang()
        return [borrower.product_view(p, lang) for p in advance.landlord_products()]

    @staticmethod
    @or_none
    def resolve_lending_advance_eligibility(root, info, organization, product_id):
        actor = authenticated(current_user(info))
        product = advance.landlord_product(product_id)
        return advance.eligibility_view(
            advance.eligibility(actor=actor, organization=organization, product=product)
        )

    @staticmethod
    @or_none
    def resolve_lending_advance_simulation(root, info, organization, product_id, amount, term):
        actor = authenticated(current_user(info))
        product = advance.landlord_product(product_id)
        sim = advance.simulate_advance(
            actor=actor,
            organization=organization,
            product=product,
            amount=amount,
            term=term,
            language=_lang(),
        )
        return {**sim, "eligibility": advance.eligibility_view(sim["eligibility"])}

    @staticmethod
    def resolve_lending_advances(root, info, first=50):
        actor = authenticated(current_user(info))
        lang = _lang()
        return [advance.advance_view(loan, lang) for loan in advance.advances_of(actor)[: clamp_first(first)]]

    @staticmethod
    @or_none
    def resolve_lending_advance(root, info, loan_id):
        return _detail(authenticated(current_user(info)), loan_id)


class LendingApplyForAdvance(HokweMutation):
    """Ask for an advance on an owner organization's rents (idempotent on idempotencyKey):
    decided at once — an offer to accept, or a refusal with its reasons."""

    class Arguments:
        organization = graphene.UUID(required=True)
        product_id = graphene.UUID(required=True)
        amount = Amount(required=True)
        term = graphene.Int(required=True)
        purpose = graphene.String()
        idempotency_key = graphene.String(required=True)

    advance = graphene.Field(LendingAdvanceType)

    @classmethod
    def perform(cls, info, user, *, organization, product_id, amount, term, idempotency_key, purpose=""):
        loan = advance.advance_apply(
            actor=user,
            organization=organization,
            product=advance.landlord_product(product_id),
            amount=amount,
            term=term,
            purpose=purpose or "",
            idempotency_key=idempotency_key,
        )
        return {"advance": _detail(user, loan.public_id)}


class LendingAcceptAdvanceOffer(HokweMutation):
    """Accept the advance's offer with identity's step-up proof (action lending.loan.accept,
    the advance's id as target, its principal and currency): paid to the organization's
    balance."""

    class Arguments:
        loan_id = graphene.UUID(required=True)
        step_up_token = graphene.String(required=True)

    advance = graphene.Field(LendingAdvanceType)

    @classmethod
    def perform(cls, info, user, *, loan_id, step_up_token):
        advance.accept_advance(actor=user, loan_id=loan_id, step_up_token=step_up_token)
        return {"advance": _detail(user, loan_id)}


class LendingWithdrawAdvance(HokweMutation):
    """Give up the advance's application or offer (before the money is paid out)."""

    class Arguments:
        loan_id = graphene.UUID(required=True)

    advance = graphene.Field(LendingAdvanceType)

    @classmethod
    def perform(cls, info, user, *, loan_id):
        advance.withdraw_advance(actor=user, loan_id=loan_id)
        return {"advance": _detail(user, loan_id)}


class AdvanceMutations(graphene.ObjectType):
    lending_apply_for_advance = LendingApplyForAdvance.Field()
    lending_accept_advance_offer = LendingAcceptAdvanceOffer.Field()
    lending_withdraw_advance = LendingWithdrawAdvance.Field()


__all__ = ["AdvanceMutations", "AdvanceQueries"]
