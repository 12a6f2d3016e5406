"""InvestMutations: HokweMutation subclasses, fields named `invest<Verb><Thing>`. The same
services as REST; refusals come back as typed errors (`errors { field code message }`)."""

import graphene

from apps.core.graphql.mutations import HokweMutation
from apps.core.graphql.types import Amount

from ..contracts import PRICE_SCALE, UNIT_SCALE
from ..services import orders, plans, present
from ..services import profile as profile_service
from .types import (
    InvestAnswerInput,
    InvestOrderSide,
    InvestOrderType,
    InvestPlanStatus,
    InvestPlanType,
    InvestProfileType,
    enum_value,
)


class InvestSubmitProfile(HokweMutation):
    """Answer the investor questionnaire (again at any time): your profile, the highest risk
    that fits and why."""

    class Arguments:
        answers = graphene.List(graphene.NonNull(InvestAnswerInput), required=True)

    profile = graphene.Field(InvestProfileType)

    @classmethod
    def perform(cls, info, user, *, answers):
        given = {a.question: a.choice for a in answers}
        row = profile_service.submit_questionnaire(actor=user, answers=given)
        return {"profile": present.profile(row)}


class InvestPlaceOrder(HokweMutation):
    """Place an order (idempotent on idempotencyKey): funds and UMOA-Titres `subscribe` an
    amount (or `redeem` an amount or a quantity); shares `buy` / `sell` a quantity at a
    limit price. Quantities and prices are decimal strings with at most 4 decimals. The cash
    is reserved in your wallet, then the order is sent to the partner."""

    atomic = False  # the service commits the order, then calls the partner with no transaction open

    class Arguments:
        product = graphene.String(required=True, description="The product's id or code")
        side = InvestOrderSide(required=True)
        amount = Amount()
        quantity = graphene.String()
        limit_price = graphene.String()
        acknowledge_risk = graphene.Boolean(default_value=False)
        idempotency_key = graphene.String(required=True)
        step_up_token = graphene.String(
            description="identity's step-up proof of (invest.order.place, the product's id, the amount held, "
            "the currency): needed above INVEST_STEP_UP_ABOVE"
        )

    order = graphene.Field(InvestOrderType)

    @classmethod
    def perform(
        cls,
        info,
        user,
        *,
        product,
        side,
        idempotency_key,
        amount=None,
        quantity=None,
        limit_price=None,
        acknowledge_risk=False,
        step_up_token=None,
    ):
        row = orders.place_order(
            actor=user,
            product=product,
            side=enum_value(side),
            idempotency_key=idempotency_key,
            amount=amount,
            quantity=present.scaled(quantity, UNIT_SCALE, field="quantity"),
            limit_price=present.scaled(limit_price, PRICE_SCALE, field="limit_price"),
            acknowledge_risk=bool(acknowledge_risk),
            step_up_token=step_up_token or None,
        )
        return {"order": present.order_detail(user, row.public_id)}


class InvestCancelOrder(HokweMutation):
    """Cancel an order the partner has not executed yet; the cash reserved goes back."""

    atomic = False  # the partner is asked

    class Arguments:
        order_id = graphene.UUID(required=True)

    order = graphene.Field(InvestOrderType)

    @classmethod
    def perform(cls, info, user, *, order_id):
        row = orders.cancel_order(actor=user, order=order_id)
        return {"order": present.order_detail(user, row.public_id)}


class InvestCreatePlan(HokweMutation):
    """Invest an amount every month on a day (1-28) from your wallet; the rent comes first."""

    class Arguments:
        product = graphene.String(required=True, description="The product's id or code")
        amount = Amount(required=True)
        day = graphene.Int(required=True)
        acknowledge_risk = graphene.Boolean(default_value=False)

    plan = graphene.Field(InvestPlanType)

    @classmethod
    def perform(cls, info, user, *, product, amount, day, acknowledge_risk=False):
        row = plans.create_plan(
            actor=user, product=product, amount=amount, day=day, acknowledge_risk=bool(acknowledge_risk)
        )
        return {"plan": present.plan(row)}


class InvestUpdatePlan(HokweMutation):
    """Change a plan's amount or day."""

    class Arguments:
        plan_id = graphene.UUID(required=True)
        amount = Amount()
        day = graphene.Int()

    plan = graphene.Field(InvestPlanType)

    @classmethod
    def perform(cls, info, user, *, plan_id, amount=None, day=None):
        row = plans.update_plan(actor=user, plan=plan_id, amount=amount, day=day)
        return {"plan": present.plan(row)}


class InvestSetPlanStatus(HokweMutation):
    """Pause, resume or cancel a plan."""

    class Arguments:
        plan_id = graphene.UUID(required=True)
        status = InvestPlanStatus(required=True)

    plan = graphene.Field(InvestPlanType)

    @classmethod
    def perform(cls, info, user, *, plan_id, status):
        row = plans.set_plan_status(actor=user, plan=plan_id, status=enum_value(status))
        return {"plan": present.plan(row)}


class InvestMutations(graphene.ObjectType):
    invest_submit_profile = InvestSubmitProfile.Field()
    invest_place_order = InvestPlaceOrder.Field()
    invest_cancel_order = InvestCancelOrder.Field()
    invest_create_plan = InvestCreatePlan.Field()
    invest_update_plan = InvestUpdatePlan.Field()
    invest_set_plan_status = InvestSetPlanStatus.Field()
