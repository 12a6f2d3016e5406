"""Recovery's GraphQL types. Amounts are `MoneyType` read from the row and its own currency
(`MoneyField`); ids are public UUIDs."""

from __future__ import annotations

import graphene

from apps.core.graphql.mutations import clamp_first
from apps.core.graphql.types import Amount, MoneyField, PublicIdField, UTCDateTime

from .. import selectors, services
from ..contracts import TaskStatus

MAX_LIST = 200


class RecoveryPersonType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    name = graphene.String(required=True)


def person(user):
    return RecoveryPersonType(id=user.public_id, name=user.full_name) if user is not None else None


class RecoveryStepType(graphene.ObjectType):
    id = PublicIdField()
    day_offset = graphene.Int(required=True)
    action = graphene.String(required=True)
    label = graphene.String(required=True)
    pay_within_days = graphene.Int(required=True)
    min_amount = Amount(required=True)


class RecoveryLadderType(graphene.ObjectType):
    id = PublicIdField()
    name = graphene.String(required=True)
    country = graphene.String(required=True)
    quiet_start = graphene.Time(required=True)
    quiet_end = graphene.Time(required=True)
    skip_sundays = graphene.Boolean(required=True)
    skip_holidays = graphene.Boolean(required=True)
    steps = graphene.List(graphene.NonNull(RecoveryStepType), required=True)

    @staticmethod
    def resolve_steps(ladder, info):
        return [s for s in ladder.steps.all() if s.is_active]


class RecoveryHolidayType(graphene.ObjectType):
    id = PublicIdField()
    date = graphene.Date(required=True)
    name = graphene.String(required=True)


class RecoveryPromiseType(graphene.ObjectType):
    id = PublicIdField()
    amount = MoneyField()
    promised_on = graphene.Date(required=True)
    status = graphene.String(required=True)
    channel = graphene.String(required=True)


class RecoveryInstallmentType(graphene.ObjectType):
    id = PublicIdField()
    seq = graphene.Int(required=True)
    due_on = graphene.Date(required=True)
    amount = Amount(required=True, description="Minor units, in the plan's currency")
    paid = Amount(required=True)
    status = graphene.String(required=True)


class RecoveryPlanType(graphene.ObjectType):
    id = PublicIdField()
    total = MoneyField()
    status = graphene.String(required=True)
    accepted_at = UTCDateTime()
    installments = graphene.List(graphene.NonNull(RecoveryInstallmentType), required=True)

    @staticmethod
    def resolve_installments(p, info):
        return list(p.installments.all())


class RecoveryNoticeType(graphene.ObjectType):
    number = graphene.String(required=True)
    issued_on = graphene.Date(required=True)
    pay_by = graphene.Date(required=True)
    amount = MoneyField()


class RecoveryLegalActionType(graphene.ObjectType):
    id = PublicIdField()
    kind = graphene.String(required=True)
    firm = graphene.String(required=True)
    contact = graphene.String(required=True)
    reference = graphene.String(required=True)
    status = graphene.String(required=True)
    cost = MoneyField(currency="case.currency")
    notes = graphene.String(required=True)


class RecoveryTaskType(graphene.ObjectType):
    id = PublicIdField()
    kind = graphene.String(required=True)
    due_on = graphene.Date(required=True)
    status = graphene.String(required=True)


class RecoveryEventType(graphene.ObjectType):
    id = PublicIdField()
    kind = graphene.String(required=True)
    happened_at = UTCDateTime(required=True)
    actor = graphene.Field(RecoveryPersonType)
    amount = Amount(description="Minor units, in the case's currency")
    text = graphene.String(required=True)

    @staticmethod
    def resolve_actor(e, info):
        return person(e.actor) if e.actor_id else None


class RecoveryCaseType(graphene.ObjectType):
    id = PublicIdField()
    organization_id = graphene.UUID(required=True)
    kind = graphene.String(required=True, description="rent or loan")
    lease_id = graphene.UUID(description="None for a loan case")
    lease_reference = graphene.String(required=True)
    loan_id = graphene.UUID(description="A loan case: the loan's public id")
    loan_reference = graphene.String(required=True)
    tenant_name = graphene.String(required=True)
    tenant_phone = graphene.String(required=True)
    property_id = graphene.UUID()
    property_name = graphene.String(required=True)
    unit_label = graphene.String(required=True)
    city = graphene.String(required=True)
    neighbourhood = graphene.String(required=True)
    status = graphene.String(required=True)
    outcome = graphene.String(required=True)
    amount_at_open = MoneyField()
    amount_owed = MoneyField()
    recovered = MoneyField()
    oldest_due_date = graphene.Date()
    collector = graphene.Field(RecoveryPersonType)
    next_action_on = graphene.Date()
    broken_promises = graphene.Int(required=True)
    opened_on = graphene.Date(required=True)
    closed_at = UTCDateTime()
    portal_url = graphene.String(required=True)
    promises = graphene.List(graphene.NonNull(RecoveryPromiseType), required=True)
    active_plan = graphene.Field(RecoveryPlanType)
    notices = graphene.List(graphene.NonNull(RecoveryNoticeType), required=True)
    legal_actions = graphene.List(graphene.NonNull(RecoveryLegalActionType), required=True)
    open_tasks = graphene.List(graphene.NonNull(RecoveryTaskType), required=True)
    timeline = graphene.List(
        graphene.NonNull(RecoveryEventType), required=True, first=graphene.Int(default_value=50)
    )

    @staticmethod
    def resolve_organization_id(c, info):
        return c.organization.public_id

    @staticmethod
    def resolve_lease_id(c, info):
        return c.lease

    @staticmethod
    def resolve_loan_id(c, info):
        return c.loan

    @staticmethod
    def resolve_property_id(c, info):
        return c.property

    @staticmethod
    def resolve_collector(c, info):
        return person(c.collector) if c.collector_id else None

    @staticmethod
    def resolve_portal_url(c, info):
        return services.portal_url(c)

    @staticmethod
    def resolve_promises(c, info):
        return list(selectors.promises_of(c)[:MAX_LIST])

    @staticmethod
    def resolve_active_plan(c, info):
        return selectors.plans_of(c).filter(status__in=["proposed", "active"]).first()

    @staticmethod
    def resolve_notices(c, info):
        return list(selectors.notices_of(c)[:MAX_LIST])

    @staticmethod
    def resolve_legal_actions(c, info):
        return list(selectors.legal_of(c).select_related("case")[:MAX_LIST])

    @staticmethod
    def resolve_open_tasks(c, info):
        return list(c.tasks.filter(status=TaskStatus.OPEN).order_by("due_on", "id")[:MAX_LIST])

    @staticmethod
    def resolve_timeline(c, info, first=50):
        return list(selectors.timeline(c)[: clamp_first(first, maximum=MAX_LIST)])


class RecoveryWorkItemType(graphene.ObjectType):
    case = graphene.Field(RecoveryCaseType, required=True)
    score = graphene.Int(required=True)
    distance_m = graphene.Int()
    reasons = graphene.List(graphene.NonNull(graphene.String), required=True)
    tasks = graphene.List(graphene.NonNull(RecoveryTaskType), required=True)
    promise_due = graphene.Date()

    @staticmethod
    def resolve_reasons(item, info):
        return [str(r) for r in item.reasons]


class RecoveryAgingRowType(graphene.ObjectType):
    key = graphene.String(required=True)
    label = graphene.String(required=True)
    currency = graphene.String(required=True)
    current = Amount(required=True)
    d1_30 = Amount(required=True)
    d31_60 = Amount(required=True)
    d61_90 = Amount(required=True)
    d90_plus = Amount(required=True)
    total = Amount(required=True)
    overdue = Amount(required=True)
    leases = graphene.Int(required=True)


class RecoveryAgingType(graphene.ObjectType):
    on = graphene.Date(required=True)
    by = graphene.String(required=True)
    totals = graphene.List(graphene.NonNull(RecoveryAgingRowType), required=True)
    rows = graphene.List(graphene.NonNull(RecoveryAgingRowType), required=True)

    @staticmethod
    def resolve_totals(report, info):
        return list(report.totals.values())


class RecoveryStepRateType(graphene.ObjectType):
    """A ladder step's results (a row of the dashboard, in the organization's currency)."""

    day_offset = graphene.Int(required=True)
    action = graphene.String(required=True)
    label = graphene.String(required=True)
    cases = graphene.Int(required=True)
    owed = MoneyField()
    recovered = MoneyField()
    rate_bps = graphene.Int(required=True)

    @staticmethod
    def resolve_action(row, info):
        return str(row["action"])

    @staticmethod
    def resolve_label(row, info):
        return row["step"].label


class RecoveryCollectorRateType(graphene.ObjectType):
    collector = graphene.Field(RecoveryPersonType, required=True)
    cases = graphene.Int(required=True)
    live = graphene.Int(required=True)
    recovered = MoneyField()
    rate_bps = graphene.Int(required=True)

    @staticmethod
    def resolve_collector(row, info):
        return RecoveryPersonType(id=row["collector"], name=row["name"] or "")


class RecoveryDashboardType(graphene.ObjectType):
    """services.dashboard's dict: amounts in its `currency` (the organization's)."""

    today = graphene.Date(required=True)
    recovered_month = MoneyField()
    live_cases = graphene.Int(required=True)
    owed = MoneyField()
    closed_month = graphene.Int(required=True)
    without_next_action = graphene.Int(required=True)
    by_step = graphene.List(graphene.NonNull(RecoveryStepRateType), required=True)
    by_collector = graphene.List(graphene.NonNull(RecoveryCollectorRateType), required=True)
    aging = graphene.Field(RecoveryAgingType, required=True)

    @staticmethod
    def resolve_by_step(d, info):
        return [{**row, "currency": d["currency"]} for row in d["by_step"]]

    @staticmethod
    def resolve_by_collector(d, info):
        return [{**row, "currency": d["currency"]} for row in d["by_collector"]]


class RecoveryPayLinkType(graphene.ObjectType):
    """A payment intent (payments' IntentInfo)."""

    intent_id = graphene.UUID(required=True)
    amount = MoneyField()
    pay_url = graphene.String(required=True)

    @staticmethod
    def resolve_intent_id(intent, info):
        return intent.public_id


class RecoveryVisitType(graphene.ObjectType):
    id = PublicIdField()
    outcome = graphene.String(required=True)
    visited_at = UTCDateTime(required=True)
    distance_m = graphene.Int()


class RecoveryCallType(graphene.ObjectType):
    id = PublicIdField()
    outcome = graphene.String(required=True)
    called_at = UTCDateTime(required=True)


class RecoveryCashType(graphene.ObjectType):
    id = PublicIdField()
    amount = MoneyField()
    payment_id = graphene.UUID(required=True)
    receipt_number = graphene.String(required=True)
    collected_at = UTCDateTime(required=True)

    @staticmethod
    def resolve_payment_id(c, info):
        return c.payment


class RecoveryHandoverType(graphene.ObjectType):
    id = PublicIdField()
    day = graphene.Date(required=True)
    status = graphene.String(required=True)
    collector = graphene.Field(RecoveryPersonType, required=True)
    declared = MoneyField()
    ledger_balance = MoneyField()
    difference = MoneyField()

    @staticmethod
    def resolve_collector(h, info):
        return person(h.collector)


class RecoveryInstallmentInput(graphene.InputObjectType):
    due_on = graphene.Date(required=True)
    amount = Amount(required=True)


class RecoveryStepInput(graphene.InputObjectType):
    day_offset = graphene.Int(required=True)
    action = graphene.String(required=True)
    label = graphene.String()
    pay_within_days = graphene.Int()
    min_amount = Amount()
