"""GraphQL: RecoveryQueries / RecoveryMutations (merged into the root schema).

Scoped like REST (the same selectors and services): what the caller may not see is null or
an empty list; a collector sees only the cases assigned to them. Mutations return
{ok, errors, …} with typed, translated errors. Field writes (visit, call, cash, handover)
take an idempotencyKey: a retry returns the first result and is counted once."""

from __future__ import annotations

import hashlib

import graphene
from django.utils.translation import gettext as _

from apps.core.errors import DomainError, NotFound
from apps.core.graphql.types import FieldError, MoneyType, errors_from
from apps.core.money import Money
from apps.identity import api as identity

from .. import selectors, services
from ..contracts import TaskStatus
from ..models import CashHandover, CollectorTask, LegalAction, PaymentPlan, Promise
from ..services.common import require

MAX_LIST = 200


def _user(info):
    user = getattr(info.context, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _first(first) -> int:
    return max(1, min(first or 50, MAX_LIST))


def _money(amount, currency="XOF"):
    return Money(int(amount or 0), currency)


def _or_none(func):
    try:
        return func()
    except DomainError:
        return None


def _member_org_id(user, public_id) -> int:
    org_id = identity.organization_ids([public_id]).get(public_id)
    if org_id is None or org_id not in identity.organization_ids_of(user):
        raise NotFound(field="organizationId")
    return org_id


def _scoped(model, user, public_id):
    row = (
        model.objects.select_related("case")
        .filter(public_id=public_id, case__in=selectors.visible_cases(user))
        .first()
    )
    if row is None:
        raise NotFound()
    return row


# --- types -------------------------------------------------------------------------------------------


class RecoveryPersonType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    name = graphene.String(required=True)


def _person(user):
    return RecoveryPersonType(id=user.public_id, name=user.full_name) if user is not None else None


class RecoveryStepType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    day_offset = graphene.Int(required=True)
    action = graphene.String(required=True)
    label = graphene.String(required=True)
    pay_within_days = graphene.Int(required=True)
    min_amount = graphene.Int(required=True)

    @staticmethod
    def resolve_id(step, info):
        return step.public_id


class RecoveryLadderType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    name = graphene.String(required=True)
    country = graphene.String(required=True)
    quiet_start = graphene.Time(required=True)
    quiet_end = graphene.Time(required=True)
    skip_sundays = graphene.Boolean(required=True)
    skip_holidays = graphene.Boolean(required=True)
    steps = graphene.List(graphene.NonNull(RecoveryStepType), required=True)

    @staticmethod
    def resolve_id(ladder, info):
        return ladder.public_id

    @staticmethod
    def resolve_steps(ladder, info):
        return [s for s in ladder.steps.all() if s.is_active]


class RecoveryPromiseType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    amount = graphene.Field(MoneyType, required=True)
    promised_on = graphene.Date(required=True)
    status = graphene.String(required=True)
    channel = graphene.String(required=True)

    @staticmethod
    def resolve_id(p, info):
        return p.public_id

    @staticmethod
    def resolve_amount(p, info):
        return _money(p.amount, p.currency)


class RecoveryInstallmentType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    seq = graphene.Int(required=True)
    due_on = graphene.Date(required=True)
    amount = graphene.Int(required=True, description="Minor units, in the plan's currency")
    paid = graphene.Int(required=True)
    status = graphene.String(required=True)

    @staticmethod
    def resolve_id(i, info):
        return i.public_id


class RecoveryPlanType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    total = graphene.Field(MoneyType, required=True)
    status = graphene.String(required=True)
    accepted_at = graphene.DateTime()
    installments = graphene.List(graphene.NonNull(RecoveryInstallmentType), required=True)

    @staticmethod
    def resolve_id(p, info):
        return p.public_id

    @staticmethod
    def resolve_total(p, info):
        return _money(p.total, p.currency)

    @staticmethod
    def resolve_installments(p, info):
        return list(p.installments.all())


class RecoveryNoticeType(graphene.ObjectType):
    number = graphene.String(required=True)
    issued_on = graphene.Date(required=True)
    pay_by = graphene.Date(required=True)
    amount = graphene.Field(MoneyType, required=True)

    @staticmethod
    def resolve_amount(n, info):
        return _money(n.amount, n.currency)


class RecoveryLegalActionType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    kind = graphene.String(required=True)
    firm = graphene.String(required=True)
    contact = graphene.String(required=True)
    reference = graphene.String(required=True)
    status = graphene.String(required=True)
    cost = graphene.Field(MoneyType, required=True)
    notes = graphene.String(required=True)

    @staticmethod
    def resolve_id(a, info):
        return a.public_id

    @staticmethod
    def resolve_cost(a, info):
        return _money(a.cost, a.case.currency)


class RecoveryTaskType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    kind = graphene.String(required=True)
    due_on = graphene.Date(required=True)
    status = graphene.String(required=True)

    @staticmethod
    def resolve_id(t, info):
        return t.public_id


class RecoveryEventType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    kind = graphene.String(required=True)
    happened_at = graphene.DateTime(required=True)
    actor = graphene.Field(RecoveryPersonType)
    amount = graphene.Int(description="Minor units, in the case's currency")
    text = graphene.String(required=True)

    @staticmethod
    def resolve_id(e, info):
        return e.public_id

    @staticmethod
    def resolve_actor(e, info):
        return _person(e.actor) if e.actor_id else None


class RecoveryCaseType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    organization_id = graphene.UUID(required=True)
    lease_id = graphene.UUID(required=True)
    lease_reference = graphene.String(required=True)
    tenant_name = graphene.String(required=True)
    tenant_phone = graphene.String(required=True)
    property_id = graphene.UUID(required=True)
    property_name = graphene.String(required=True)
    unit_label = graphene.String(required=True)
    city = graphene.String(required=True)
    neighbourhood = graphene.String(required=True)
    status = graphene.String(required=True)
    outcome = graphene.String(required=True)
    amount_at_open = graphene.Field(MoneyType, required=True)
    amount_owed = graphene.Field(MoneyType, required=True)
    recovered = graphene.Field(MoneyType, required=True)
    oldest_due_date = graphene.Date()
    collector = graphene.Field(RecoveryPersonType)
    next_action_on = graphene.Date()
    broken_promises = graphene.Int(required=True)
    opened_on = graphene.Date(required=True)
    closed_at = graphene.DateTime()
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
    def resolve_id(c, info):
        return c.public_id

    @staticmethod
    def resolve_organization_id(c, info):
        return c.organization.public_id

    @staticmethod
    def resolve_lease_id(c, info):
        return c.lease

    @staticmethod
    def resolve_property_id(c, info):
        return c.property

    @staticmethod
    def resolve_amount_at_open(c, info):
        return _money(c.amount_at_open, c.currency)

    @staticmethod
    def resolve_amount_owed(c, info):
        return _money(c.amount_owed, c.currency)

    @staticmethod
    def resolve_recovered(c, info):
        return _money(c.recovered, c.currency)

    @staticmethod
    def resolve_collector(c, info):
        return _person(c.collector) if c.collector_id else None

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
        return list(selectors.timeline(c)[: _first(first)])


class RecoveryWorkItemType(graphene.ObjectType):
    case = graphene.Field(RecoveryCaseType, required=True)
    score = graphene.Int(required=True)
    distance_m = graphene.Int()
    reasons = graphene.List(graphene.NonNull(graphene.String), required=True)
    tasks = graphene.List(graphene.NonNull(RecoveryTaskType), required=True)
    promise_due = graphene.Date()


class RecoveryAgingRowType(graphene.ObjectType):
    key = graphene.String(required=True)
    label = graphene.String(required=True)
    currency = graphene.String(required=True)
    current = graphene.Int(required=True)
    d1_30 = graphene.Int(required=True)
    d31_60 = graphene.Int(required=True)
    d61_90 = graphene.Int(required=True)
    d90_plus = graphene.Int(required=True)
    total = graphene.Int(required=True)
    overdue = graphene.Int(required=True)
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
    day_offset = graphene.Int(required=True)
    action = graphene.String(required=True)
    label = graphene.String(required=True)
    cases = graphene.Int(required=True)
    owed = graphene.Field(MoneyType, required=True)
    recovered = graphene.Field(MoneyType, required=True)
    rate_bps = graphene.Int(required=True)


class RecoveryCollectorRateType(graphene.ObjectType):
    collector = graphene.Field(RecoveryPersonType, required=True)
    cases = graphene.Int(required=True)
    live = graphene.Int(required=True)
    recovered = graphene.Field(MoneyType, required=True)
    rate_bps = graphene.Int(required=True)


class RecoveryDashboardType(graphene.ObjectType):
    today = graphene.Date(required=True)
    recovered_month = graphene.Field(MoneyType, required=True)
    live_cases = graphene.Int(required=True)
    owed = graphene.Field(MoneyType, required=True)
    closed_month = graphene.Int(required=True)
    without_next_action = graphene.Int(required=True)
    by_step = graphene.List(graphene.NonNull(RecoveryStepRateType), required=True)
    by_collector = graphene.List(graphene.NonNull(RecoveryCollectorRateType), required=True)
    aging = graphene.Field(RecoveryAgingType, required=True)


def _dashboard(d: dict) -> RecoveryDashboardType:
    cur = d.get("currency", "XOF")
    return RecoveryDashboardType(
        today=d["today"],
        recovered_month=_money(d["recovered_month"], cur),
        live_cases=d["live_cases"],
        owed=_money(d["owed"], cur),
        closed_month=d["closed_month"],
        without_next_action=d["without_next_action"],
        by_step=[
            RecoveryStepRateType(
                day_offset=r["day_offset"],
                action=str(r["action"]),
                label=r["step"].label,
                cases=r["cases"],
                owed=_money(r["owed"], cur),
                recovered=_money(r["recovered"], cur),
                rate_bps=r["rate_bps"],
            )
            for r in d["by_step"]
        ],
        by_collector=[
            RecoveryCollectorRateType(
                collector=RecoveryPersonType(id=r["collector"], name=r["name"] or ""),
                cases=r["cases"],
                live=r["live"],
                recovered=_money(r["recovered"], cur),
                rate_bps=r["rate_bps"],
            )
            for r in d["by_collector"]
        ],
        aging=d["aging"],
    )


class RecoveryPayLinkType(graphene.ObjectType):
    intent_id = graphene.UUID(required=True)
    amount = graphene.Field(MoneyType, required=True)
    pay_url = graphene.String(required=True)


class RecoveryVisitType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    outcome = graphene.String(required=True)
    visited_at = graphene.DateTime(required=True)
    distance_m = graphene.Int()

    @staticmethod
    def resolve_id(v, info):
        return v.public_id


class RecoveryCallType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    outcome = graphene.String(required=True)
    called_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_id(c, info):
        return c.public_id


class RecoveryCashType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    amount = graphene.Field(MoneyType, required=True)
    payment_id = graphene.UUID(required=True)
    receipt_number = graphene.String(required=True)
    collected_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_id(c, info):
        return c.public_id

    @staticmethod
    def resolve_amount(c, info):
        return _money(c.amount, c.currency)

    @staticmethod
    def resolve_payment_id(c, info):
        return c.payment


class RecoveryHandoverType(graphene.ObjectType):
    id = graphene.UUID(required=True)
    day = graphene.Date(required=True)
    status = graphene.String(required=True)
    collector = graphene.Field(RecoveryPersonType, required=True)
    declared = graphene.Field(MoneyType, required=True)
    ledger_balance = graphene.Field(MoneyType, required=True)
    difference = graphene.Field(MoneyType, required=True)

    @staticmethod
    def resolve_id(h, info):
        return h.public_id

    @staticmethod
    def resolve_collector(h, info):
        return _person(h.collector)

    @staticmethod
    def resolve_declared(h, info):
        return _money(h.declared, h.currency)

    @staticmethod
    def resolve_ledger_balance(h, info):
        return _money(h.ledger_balance, h.currency)

    @staticmethod
    def resolve_difference(h, info):
        return _money(h.difference, h.currency)


# --- queries ---------------------------------------------------------------------------------------------


class RecoveryQueries(graphene.ObjectType):
    recovery_cases = graphene.List(
        graphene.NonNull(RecoveryCaseType),
        required=True,
        organization_id=graphene.UUID(),
        status=graphene.String(description="open | promised | plan | legal | closed | live"),
        collector_id=graphene.UUID(),
        property_id=graphene.UUID(),
        q=graphene.String(),
        without_next_action=graphene.Boolean(),
        first=graphene.Int(default_value=50),
    )
    recovery_case = graphene.Field(RecoveryCaseType, case_id=graphene.UUID(required=True))
    recovery_worklist = graphene.List(
        graphene.NonNull(RecoveryWorkItemType),
        required=True,
        latitude=graphene.Float(),
        longitude=graphene.Float(),
        description="The collector's cases for today, best first.",
    )
    recovery_aging = graphene.Field(
        RecoveryAgingType, organization_id=graphene.UUID(), by=graphene.String(default_value="property")
    )
    recovery_dashboard = graphene.Field(RecoveryDashboardType, organization_id=graphene.UUID())
    recovery_ladder = graphene.Field(RecoveryLadderType, organization_id=graphene.UUID())

    @staticmethod
    def resolve_recovery_cases(root, info, first=50, **filters):
        user = _user(info)
        if user is None:
            return []

        def load():
            qs = selectors.cases_for(
                user,
                organization=filters.get("organization_id"),
                status=filters.get("status") or None,
                collector=filters.get("collector_id"),
                property=filters.get("property_id"),
                q=(filters.get("q") or "")[:100],
                without_next_action=bool(filters.get("without_next_action")),
            )
            return list(qs.order_by("-opened_on", "-id")[: _first(first)])

        return _or_none(load) or []

    @staticmethod
    def resolve_recovery_case(root, info, case_id):
        user = _user(info)
        return _or_none(lambda: selectors.case_for(user, case_id)) if user else None

    @staticmethod
    def resolve_recovery_worklist(root, info, latitude=None, longitude=None):
        user = _user(info)
        if user is None:
            return []
        items = _or_none(lambda: services.worklist(actor=user, latitude=latitude, longitude=longitude)) or []
        return [
            RecoveryWorkItemType(
                case=i.case,
                score=i.score,
                distance_m=i.distance_m,
                reasons=[str(r) for r in i.reasons],
                tasks=i.tasks,
                promise_due=i.promise_due,
            )
            for i in items
        ]

    @staticmethod
    def resolve_recovery_aging(root, info, organization_id=None, by="property"):
        user = _user(info)
        if user is None:
            return None

        def load():
            org_id = selectors.organization_for_report(user, organization_id)
            return services.aging(actor=user, organization_id=org_id, by=by)

        return _or_none(load)

    @staticmethod
    def resolve_recovery_dashboard(root, info, organization_id=None):
        user = _user(info)
        if user is None:
            return None

        def load():
            org_id = selectors.organization_for_report(user, organization_id)
            identity.require(user, "recovery.report.view", org_id, hide=True)
            return _dashboard(services.dashboard(organization_id=org_id))

        return _or_none(load)

    @staticmethod
    def resolve_recovery_ladder(root, info, organization_id=None):
        user = _user(info)
        if user is None:
            return None

        def load():
            org_id = selectors.organization_for_report(user, organization_id)
            return selectors.ladder_for(user, org_id)

        return _or_none(load)


# --- mutations -------------------------------------------------------------------------------------------


class _Payload:
    ok = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


def _run(payload_class, info, work, key: str):
    user = _user(info)
    if user is None:
        return payload_class(
            ok=False, errors=[FieldError(field=None, code="not_authenticated", message=_("Log in first."))]
        )
    try:
        return payload_class(ok=True, errors=[], **{key: work(user)})
    except DomainError as exc:
        return payload_class(ok=False, errors=errors_from(exc))


def _case_of(user, case_id):
    return selectors.case_for(user, case_id)


class AssignRecoveryCase(_Payload, graphene.Mutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        collector_id = graphene.UUID(description="null: assigned to nobody")

    case = graphene.Field(RecoveryCaseType)

    @staticmethod
    def mutate(root, info, case_id, collector_id=None):
        def work(user):
            case = services.case_assign(actor=user, case=_case_of(user, case_id), collector=collector_id)
            return selectors.case_for(user, case.public_id)

        return _run(AssignRecoveryCase, info, work, "case")


class AddRecoveryNote(_Payload, graphene.Mutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        text = graphene.String(required=True)
        next_action_on = graphene.Date()

    case = graphene.Field(RecoveryCaseType)

    @staticmethod
    def mutate(root, info, case_id, text, next_action_on=None):
        def work(user):
            case = _case_of(user, case_id)
            services.case_note(actor=user, case=case, text=text[:2000], next_action_on=next_action_on)
            return selectors.case_for(user, case_id)

        return _run(AddRecoveryNote, info, work, "case")


class CloseRecoveryCase(_Payload, graphene.Mutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        outcome = graphene.String(required=True, description="settled | written_off")
        reason = graphene.String()

    case = graphene.Field(RecoveryCaseType)

    @staticmethod
    def mutate(root, info, case_id, outcome, reason=""):
        def work(user):
            case = _case_of(user, case_id)
            services.case_close(actor=user, case=case, outcome=outcome, reason=(reason or "")[:500])
            return selectors.case_for(user, case_id)

        return _run(CloseRecoveryCase, info, work, "case")


class CreateRecoveryPromise(_Payload, graphene.Mutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        amount = graphene.Int(required=True)
        promised_on = graphene.Date(required=True)

    promise = graphene.Field(RecoveryPromiseType)

    @staticmethod
    def mutate(root, info, case_id, amount, promised_on):
        def work(user):
            case = _case_of(user, case_id)
            channel = "collector" if case.collector_id == user.pk else "manager"
            return services.promise_create(
                actor=user, case=case, amount=amount, promised_on=promised_on, channel=channel
            )

        return _run(CreateRecoveryPromise, info, work, "promise")


class CancelRecoveryPromise(_Payload, graphene.Mutation):
    class Arguments:
        promise_id = graphene.UUID(required=True)

    promise = graphene.Field(RecoveryPromiseType)

    @staticmethod
    def mutate(root, info, promise_id):
        def work(user):
            return services.promise_cancel(actor=user, promise=_scoped(Promise, user, promise_id))

        return _run(CancelRecoveryPromise, info, work, "promise")


class RecoveryInstallmentInput(graphene.InputObjectType):
    due_on = graphene.Date(required=True)
    amount = graphene.Int(required=True)


class ProposeRecoveryPlan(_Payload, graphene.Mutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        installments = graphene.List(graphene.NonNull(RecoveryInstallmentInput), required=True)

    plan = graphene.Field(RecoveryPlanType)

    @staticmethod
    def mutate(root, info, case_id, installments):
        def work(user):
            return services.plan_propose(
                actor=user,
                case=_case_of(user, case_id),
                installments=[(i.due_on, i.amount) for i in installments[:100]],
            )

        return _run(ProposeRecoveryPlan, info, work, "plan")


class CancelRecoveryPlan(_Payload, graphene.Mutation):
    class Arguments:
        plan_id = graphene.UUID(required=True)

    plan = graphene.Field(RecoveryPlanType)

    @staticmethod
    def mutate(root, info, plan_id):
        def work(user):
            return services.plan_cancel(actor=user, plan=_scoped(PaymentPlan, user, plan_id))

        return _run(CancelRecoveryPlan, info, work, "plan")


class CreateRecoveryPayLink(_Payload, graphene.Mutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        amount = graphene.Int(description="Default: all that is owed")

    pay_link = graphene.Field(RecoveryPayLinkType)

    @staticmethod
    def mutate(root, info, case_id, amount=None):
        def work(user):
            case = _case_of(user, case_id)
            require(user, "recovery.case.work", case)
            intent = services.debt_pay_link(case=case, amount=amount)
            return RecoveryPayLinkType(
                intent_id=intent.public_id,
                amount=_money(intent.amount, intent.currency),
                pay_url=intent.pay_url,
            )

        return _run(CreateRecoveryPayLink, info, work, "pay_link")


class RecordRecoveryVisit(_Payload, graphene.Mutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        outcome = graphene.String(required=True)
        latitude = graphene.Float(required=True)
        longitude = graphene.Float(required=True)
        accuracy_m = graphene.Int()
        visited_at = graphene.DateTime()
        note = graphene.String()
        idempotency_key = graphene.String(required=True, description="1 to 100 characters, one per visit")

    visit = graphene.Field(RecoveryVisitType)

    @staticmethod
    def mutate(root, info, case_id, outcome, latitude, longitude, idempotency_key, **options):
        def work(user):
            return services.visit_record(
                actor=user,
                case=_case_of(user, case_id),
                outcome=outcome,
                latitude=latitude,
                longitude=longitude,
                accuracy_m=options.get("accuracy_m"),
                visited_at=options.get("visited_at"),
                note=(options.get("note") or "")[:2000],
                idempotency_key=idempotency_key,
            )

        return _run(RecordRecoveryVisit, info, work, "visit")


class RecordRecoveryCall(_Payload, graphene.Mutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        outcome = graphene.String(required=True)
        note = graphene.String()
        idempotency_key = graphene.String(required=True)

    call = graphene.Field(RecoveryCallType)

    @staticmethod
    def mutate(root, info, case_id, outcome, idempotency_key, note=""):
        def work(user):
            return services.call_record(
                actor=user,
                case=_case_of(user, case_id),
                outcome=outcome,
                note=(note or "")[:2000],
                idempotency_key=idempotency_key,
            )

        return _run(RecordRecoveryCall, info, work, "call")


class CollectRecoveryCash(_Payload, graphene.Mutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        amount = graphene.Int(required=True)
        latitude = graphene.Float()
        longitude = graphene.Float()
        idempotency_key = graphene.String(required=True, description="A retry with it is counted once")

    cash = graphene.Field(RecoveryCashType)

    @staticmethod
    def mutate(root, info, case_id, amount, idempotency_key, latitude=None, longitude=None):
        def work(user):
            return services.cash_collect(
                actor=user,
                case=_case_of(user, case_id),
                amount=amount,
                latitude=latitude,
                longitude=longitude,
                idempotency_key=idempotency_key,
            )

        return _run(CollectRecoveryCash, info, work, "cash")


class CompleteRecoveryTask(_Payload, graphene.Mutation):
    class Arguments:
        task_id = graphene.UUID(required=True)

    task = graphene.Field(RecoveryTaskType)

    @staticmethod
    def mutate(root, info, task_id):
        def work(user):
            return services.task_complete(actor=user, task=_scoped(CollectorTask, user, task_id))

        return _run(CompleteRecoveryTask, info, work, "task")


class CreateRecoveryHandover(_Payload, graphene.Mutation):
    class Arguments:
        organization_id = graphene.UUID(required=True)
        collector_id = graphene.UUID(required=True)
        declared = graphene.Int(required=True)
        note = graphene.String()
        idempotency_key = graphene.String(required=True)

    handover = graphene.Field(RecoveryHandoverType)

    @staticmethod
    def mutate(root, info, organization_id, collector_id, declared, idempotency_key, note=""):
        def work(user):
            org_id = _member_org_id(user, organization_id)
            identity.require(user, "recovery.handover.confirm", org_id, hide=True)
            key = (idempotency_key or "").strip()
            handover = services.handover_create(
                actor=user,
                organization_id=org_id,
                collector=collector_id,
                declared=declared,
                note=(note or "")[:2000],
                # handover keys are unique across users: make the caller's key theirs
                idempotency_key=hashlib.sha256(f"{user.public_id}:{key}".encode()).hexdigest() if key else "",
            )
            return CashHandover.objects.select_related("collector").get(pk=handover.pk)

        return _run(CreateRecoveryHandover, info, work, "handover")


class RecoveryStepInput(graphene.InputObjectType):
    day_offset = graphene.Int(required=True)
    action = graphene.String(required=True)
    label = graphene.String()
    pay_within_days = graphene.Int()
    min_amount = graphene.Int()


class SaveRecoveryLadder(_Payload, graphene.Mutation):
    class Arguments:
        organization_id = graphene.UUID(required=True)
        steps = graphene.List(graphene.NonNull(RecoveryStepInput), required=True)
        name = graphene.String()
        quiet_start = graphene.Time()
        quiet_end = graphene.Time()
        skip_sundays = graphene.Boolean()
        skip_holidays = graphene.Boolean()
        country = graphene.String()

    ladder = graphene.Field(RecoveryLadderType)

    @staticmethod
    def mutate(root, info, organization_id, steps, **settings):
        def work(user):
            org_id = _member_org_id(user, organization_id)
            inputs = [
                services.StepInput(
                    day_offset=s.day_offset,
                    action=s.action,
                    label=(s.label or "")[:100],
                    pay_within_days=8 if s.pay_within_days is None else s.pay_within_days,
                    min_amount=s.min_amount or 0,
                )
                for s in steps[:100]
            ]
            values = {k: v for k, v in settings.items() if v is not None}
            if "name" in values:
                values["name"] = values["name"][:100]
            if "country" in values:
                values["country"] = values["country"][:2].upper()
            return services.ladder_save(actor=user, organization_id=org_id, steps=inputs, **values)

        return _run(SaveRecoveryLadder, info, work, "ladder")


class IssueRecoveryFormalNotice(_Payload, graphene.Mutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        pay_within_days = graphene.Int()

    notice = graphene.Field(RecoveryNoticeType)

    @staticmethod
    def mutate(root, info, case_id, pay_within_days=None):
        def work(user):
            return services.formal_notice_issue(
                actor=user, case=_case_of(user, case_id), pay_within_days=pay_within_days or 8
            )

        return _run(IssueRecoveryFormalNotice, info, work, "notice")


class EscalateRecoveryCase(_Payload, graphene.Mutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        kind = graphene.String(description="bailiff | lawyer")
        firm = graphene.String()
        contact = graphene.String()
        notes = graphene.String()

    legal_action = graphene.Field(RecoveryLegalActionType)

    @staticmethod
    def mutate(root, info, case_id, kind="bailiff", firm="", contact="", notes=""):
        def work(user):
            action = services.legal_escalate(
                actor=user,
                case=_case_of(user, case_id),
                kind=kind or "bailiff",
                firm=firm or "",
                contact=contact or "",
                notes=(notes or "")[:4000],
            )
            return LegalAction.objects.select_related("case").get(pk=action.pk)

        return _run(EscalateRecoveryCase, info, work, "legal_action")


class UpdateRecoveryLegalAction(_Payload, graphene.Mutation):
    class Arguments:
        legal_action_id = graphene.UUID(required=True)
        status = graphene.String()
        firm = graphene.String()
        contact = graphene.String()
        reference = graphene.String()
        cost = graphene.Int()
        notes = graphene.String()

    legal_action = graphene.Field(RecoveryLegalActionType)

    @staticmethod
    def mutate(root, info, legal_action_id, **changes):
        def work(user):
            action = _scoped(LegalAction, user, legal_action_id)
            limits = {"firm": 150, "contact": 150, "reference": 60, "notes": 4000}
            values = {k: (v[: limits[k]] if k in limits else v) for k, v in changes.items() if v is not None}
            action = services.legal_update(actor=user, action=action, **values)
            return LegalAction.objects.select_related("case").get(pk=action.pk)

        return _run(UpdateRecoveryLegalAction, info, work, "legal_action")


class RecoveryMutations(graphene.ObjectType):
    assign_recovery_case = AssignRecoveryCase.Field()
    add_recovery_note = AddRecoveryNote.Field()
    close_recovery_case = CloseRecoveryCase.Field()
    create_recovery_promise = CreateRecoveryPromise.Field()
    cancel_recovery_promise = CancelRecoveryPromise.Field()
    propose_recovery_plan = ProposeRecoveryPlan.Field()
    cancel_recovery_plan = CancelRecoveryPlan.Field()
    create_recovery_pay_link = CreateRecoveryPayLink.Field()
    record_recovery_visit = RecordRecoveryVisit.Field()
    record_recovery_call = RecordRecoveryCall.Field()
    collect_recovery_cash = CollectRecoveryCash.Field()
    complete_recovery_task = CompleteRecoveryTask.Field()
    create_recovery_handover = CreateRecoveryHandover.Field()
    save_recovery_ladder = SaveRecoveryLadder.Field()
    issue_recovery_formal_notice = IssueRecoveryFormalNotice.Field()
    escalate_recovery_case = EscalateRecoveryCase.Field()
    update_recovery_legal_action = UpdateRecoveryLegalAction.Field()
