"""GraphQL of HokweSplit (fields named walletSplit…): the same services as REST
(services/split.py): my plans and their schedule, create for a rent due, pause, resume, cancel,
early withdrawal."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user, or_none
from apps.core.graphql.types import MoneyField, UTCDateTime
from apps.identity.api import authenticated

from .. import selectors
from ..models import SplitPlan
from ..services import split

WalletSplitFrequency = graphene.Enum("WalletSplitFrequency", [(c.name, c.value) for c in SplitPlan.Frequency])
WalletSplitSource = graphene.Enum("WalletSplitSource", [(c.name, c.value) for c in SplitPlan.Source])
WalletSplitWithdrawalRule = graphene.Enum(
    "WalletSplitWithdrawalRule", [(c.name, c.value) for c in SplitPlan.WithdrawalRule]
)


class WalletSplitInstalmentType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    number = graphene.Int(required=True)
    on = graphene.Date(required=True)
    amount = MoneyField(currency="plan.currency")
    status = graphene.String(required=True, description="scheduled, requested, paid, missed, skipped")
    paid_on = graphene.Date()
    attempts = graphene.Int(required=True)

    @staticmethod
    def resolve_id(row, info):
        return row.public_id

    @staticmethod
    def resolve_number(row, info):
        return row.seq


class WalletSplitPlanType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    lease = graphene.UUID(required=True)
    due = graphene.UUID(required=True)
    due_date = graphene.Date(required=True)
    target = MoneyField()
    saved = MoneyField(description="What the vault holds now")
    frequency = graphene.String(required=True)
    source = graphene.String(required=True)
    withdrawal_rule = graphene.String(required=True)
    withdrawal_fee_bps = graphene.Int(required=True)
    status = graphene.String(required=True)
    streak = graphene.Int(required=True)
    best_streak = graphene.Int(required=True)
    next_instalment = graphene.Field(WalletSplitInstalmentType)
    schedule = graphene.List(graphene.NonNull(WalletSplitInstalmentType), required=True)
    rent_intent = graphene.UUID()
    created_at = UTCDateTime(required=True)
    closed_at = UTCDateTime()

    @staticmethod
    def resolve_id(plan, info):
        return plan.public_id

    @staticmethod
    def resolve_schedule(plan, info):
        return split.plan_schedule(plan)


class SplitQueries(graphene.ObjectType):
    wallet_split_plans = graphene.List(
        graphene.NonNull(WalletSplitPlanType),
        required=True,
        first=graphene.Int(default_value=50),
        description=_("Your HokweSplit plans, newest first."),
    )
    wallet_split_plan = graphene.Field(
        WalletSplitPlanType,
        plan_id=graphene.UUID(required=True),
        description=_("One of your HokweSplit plans (null if it is not yours)."),
    )

    @staticmethod
    def resolve_wallet_split_plans(root, info, first=50):
        actor = authenticated(current_user(info))
        return [split.plan_state(p) for p in selectors.split_plans_of(actor)[: clamp_first(first)]]

    @staticmethod
    @or_none
    def resolve_wallet_split_plan(root, info, plan_id):
        actor = authenticated(current_user(info))
        return split.plan_state(selectors.split_plan_get(actor, plan_id, field="planId"))


class WalletSplitCreatePlan(HokweMutation):
    """A plan toward one of your rent dues: the target and the date come from the due."""

    class Arguments:
        due_id = graphene.UUID(required=True)
        frequency = WalletSplitFrequency(required=True)
        source = WalletSplitSource(default_value="wallet")
        withdrawal_rule = WalletSplitWithdrawalRule(default_value="fee")

    plan = graphene.Field(WalletSplitPlanType)

    @classmethod
    def perform(cls, info, user, *, due_id, frequency, source="wallet", withdrawal_rule="fee"):
        plan = split.plan_create(
            actor=user,
            due=due_id,
            frequency=getattr(frequency, "value", frequency),
            source=getattr(source, "value", source),
            withdrawal_rule=getattr(withdrawal_rule, "value", withdrawal_rule),
        )
        return {"plan": split.plan_state(plan)}


class WalletSplitPausePlan(HokweMutation):
    """Stop the auto-debits; the vault keeps what is saved, still locked."""

    class Arguments:
        plan_id = graphene.UUID(required=True)

    plan = graphene.Field(WalletSplitPlanType)

    @classmethod
    def perform(cls, info, user, *, plan_id):
        plan = selectors.split_plan_get(user, plan_id, field="planId")
        return {"plan": split.plan_state(split.plan_pause(actor=user, plan=plan))}


class WalletSplitResumePlan(HokweMutation):
    """Start again: what is left to save is spread over the days left."""

    class Arguments:
        plan_id = graphene.UUID(required=True)

    plan = graphene.Field(WalletSplitPlanType)

    @classmethod
    def perform(cls, info, user, *, plan_id):
        plan = selectors.split_plan_get(user, plan_id, field="planId")
        return {"plan": split.plan_state(split.plan_resume(actor=user, plan=plan))}


class WalletSplitCancelPlan(HokweMutation):
    """Stop saving for good: the vault's money goes back to the wallet on the due date."""

    class Arguments:
        plan_id = graphene.UUID(required=True)

    plan = graphene.Field(WalletSplitPlanType)

    @classmethod
    def perform(cls, info, user, *, plan_id):
        plan = selectors.split_plan_get(user, plan_id, field="planId")
        return {"plan": split.plan_state(split.plan_cancel(actor=user, plan=plan))}


class WalletSplitWithdrawPlan(HokweMutation):
    """Take the savings back before the due date, by the plan's rule (free, with a fee, or
    refused when locked). The plan ends."""

    class Arguments:
        plan_id = graphene.UUID(required=True)

    plan = graphene.Field(WalletSplitPlanType)
    returned = MoneyField(currency="plan.currency", required=False)
    fee = MoneyField(currency="plan.currency", required=False)

    @classmethod
    def perform(cls, info, user, *, plan_id):
        plan = selectors.split_plan_get(user, plan_id, field="planId")
        returned, fee = split.plan_withdraw_early(actor=user, plan=plan)
        plan.refresh_from_db()
        return {"plan": split.plan_state(plan), "returned": returned, "fee": fee}


class SplitMutations(graphene.ObjectType):
    wallet_split_create_plan = WalletSplitCreatePlan.Field()
    wallet_split_pause_plan = WalletSplitPausePlan.Field()
    wallet_split_resume_plan = WalletSplitResumePlan.Field()
    wallet_split_cancel_plan = WalletSplitCancelPlan.Field()
    wallet_split_withdraw_plan = WalletSplitWithdrawPlan.Field()
