"""InvestQueries: every root field starts with `invest` (docs/api.md, "GraphQL naming"). The
same selectors and presenters as REST (apps/invest/services/present.py); everything the caller
reads is their own (another investor's order or plan resolves to null)."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.mutations import clamp_first, current_user, or_none
from apps.identity.api import authenticated

from .. import questionnaire, selectors
from ..services import present
from .types import (
    InvestOrderType,
    InvestPlanType,
    InvestPortfolioType,
    InvestPositionType,
    InvestProductKind,
    InvestProductSheetType,
    InvestProductType,
    InvestProfileType,
    InvestQuestionType,
    enum_value,
)


class InvestQueries(graphene.ObjectType):
    invest_products = graphene.List(
        graphene.NonNull(InvestProductType),
        required=True,
        kind=InvestProductKind(),
        description=_("The investment products offered, lowest risk first."),
    )
    invest_product = graphene.Field(
        InvestProductSheetType,
        product=graphene.String(required=True, description=_("The product's id or code")),
        description=_("A product's sheet in plain words."),
    )
    invest_questionnaire = graphene.List(
        graphene.NonNull(InvestQuestionType), required=True, description=_("The investor questionnaire.")
    )
    invest_profile = graphene.Field(
        InvestProfileType, description=_("Your investor profile (null before the questionnaire).")
    )
    invest_orders = graphene.List(
        graphene.NonNull(InvestOrderType),
        required=True,
        first=graphene.Int(default_value=50),
        status=graphene.String(),
        description=_("Your orders, newest first."),
    )
    invest_order = graphene.Field(
        InvestOrderType,
        order_id=graphene.UUID(required=True),
        description=_("One of your orders, with its executions."),
    )
    invest_portfolio = graphene.Field(
        graphene.NonNull(InvestPortfolioType), description=_("Your portfolio at the latest valuation.")
    )
    invest_positions = graphene.List(
        graphene.NonNull(InvestPositionType),
        required=True,
        description=_("What you hold, product by product."),
    )
    invest_plans = graphene.List(
        graphene.NonNull(InvestPlanType), required=True, description=_("Your monthly investment plans.")
    )

    @staticmethod
    def resolve_invest_products(root, info, kind=None):
        authenticated(current_user(info))
        return [present.product(p) for p in selectors.products(kind=enum_value(kind))]

    @staticmethod
    @or_none
    def resolve_invest_product(root, info, product):
        authenticated(current_user(info))
        return present.sheet(selectors.product(product))

    @staticmethod
    def resolve_invest_questionnaire(root, info):
        authenticated(current_user(info))
        return questionnaire.questions_payload()

    @staticmethod
    def resolve_invest_profile(root, info):
        actor = authenticated(current_user(info))
        row = selectors.profile_of(actor)
        return present.profile(row) if row is not None else None

    @staticmethod
    def resolve_invest_orders(root, info, first=50, status=None):
        actor = authenticated(current_user(info))
        rows = selectors.orders_of(actor, status=status or None).select_related("plan")[: clamp_first(first)]
        max_risk = present.max_risk_of(actor)
        return [present.order(o, max_risk) for o in rows]

    @staticmethod
    @or_none
    def resolve_invest_order(root, info, order_id):
        return present.order_detail(authenticated(current_user(info)), order_id)

    @staticmethod
    def resolve_invest_portfolio(root, info):
        return present.portfolio(selectors.portfolio_of(authenticated(current_user(info))))

    @staticmethod
    def resolve_invest_positions(root, info):
        actor = authenticated(current_user(info))
        return [present.position(p) for p in selectors.positions_of(actor)[:500]]

    @staticmethod
    def resolve_invest_plans(root, info):
        actor = authenticated(current_user(info))
        return [present.plan(p) for p in selectors.plans_of(actor).order_by("created_at", "id")[:100]]
