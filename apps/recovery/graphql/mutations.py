"""Recovery's mutations (HokweMutation: authentication, typed and translated errors,
rollback on a refusal) and RecoveryMutations.

Each calls the same service as REST and the pages. Field writes (visit, call, cash) and the
hand-over take an `idempotencyKey`: a retry returns the first result and is counted once.
Fields are named `recovery<Verb><Thing>`; the old names (`addRecoveryNote`…) stay as
deprecated aliases. Class names are kept: they name the payload types the apps use."""

from __future__ import annotations

import graphene

from apps.core.graphql.mutations import HokweMutation
from apps.core.graphql.types import Amount, UTCDateTime

from .. import selectors, services
from ..models import CashHandover, CollectorTask, LegalAction, PaymentPlan, Promise
from .types import (
    RecoveryCallType,
    RecoveryCaseType,
    RecoveryCashType,
    RecoveryHandoverType,
    RecoveryHolidayType,
    RecoveryInstallmentInput,
    RecoveryLadderType,
    RecoveryLegalActionType,
    RecoveryNoticeType,
    RecoveryPayLinkType,
    RecoveryPlanType,
    RecoveryPromiseType,
    RecoveryStepInput,
    RecoveryTaskType,
    RecoveryVisitType,
)


def _org(user, organization_id) -> int:
    return selectors.member_org_id(user, organization_id, field="organizationId")


class AssignRecoveryCase(HokweMutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        collector_id = graphene.UUID(description="null: assigned to nobody")

    case = graphene.Field(RecoveryCaseType)

    @classmethod
    def perform(cls, info, user, *, case_id, collector_id=None):
        case = selectors.case_for(user, case_id)
        services.case_assign(actor=user, case=case, collector=collector_id)
        return {"case": selectors.case_for(user, case_id)}


class AddRecoveryNote(HokweMutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        text = graphene.String(required=True)
        next_action_on = graphene.Date()

    case = graphene.Field(RecoveryCaseType)

    @classmethod
    def perform(cls, info, user, *, case_id, text, next_action_on=None):
        case = selectors.case_for(user, case_id)
        services.case_note(actor=user, case=case, text=text[:2000], next_action_on=next_action_on)
        return {"case": selectors.case_for(user, case_id)}


class CloseRecoveryCase(HokweMutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        outcome = graphene.String(required=True, description="settled | written_off")
        reason = graphene.String()

    case = graphene.Field(RecoveryCaseType)

    @classmethod
    def perform(cls, info, user, *, case_id, outcome, reason=""):
        case = selectors.case_for(user, case_id)
        services.case_close(actor=user, case=case, outcome=outcome, reason=(reason or "")[:500])
        return {"case": selectors.case_for(user, case_id)}


class CreateRecoveryPromise(HokweMutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        amount = Amount(required=True)
        promised_on = graphene.Date(required=True)

    promise = graphene.Field(RecoveryPromiseType)

    @classmethod
    def perform(cls, info, user, *, case_id, amount, promised_on):
        case = selectors.case_for(user, case_id)
        promise = services.promise_create(actor=user, case=case, amount=amount, promised_on=promised_on)
        return {"promise": promise}


class CancelRecoveryPromise(HokweMutation):
    class Arguments:
        promise_id = graphene.UUID(required=True)

    promise = graphene.Field(RecoveryPromiseType)

    @classmethod
    def perform(cls, info, user, *, promise_id):
        promise = selectors.case_child_for(Promise, user, promise_id)
        return {"promise": services.promise_cancel(actor=user, promise=promise)}


class ProposeRecoveryPlan(HokweMutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        installments = graphene.List(graphene.NonNull(RecoveryInstallmentInput), required=True)

    plan = graphene.Field(RecoveryPlanType)

    @classmethod
    def perform(cls, info, user, *, case_id, installments):
        plan = services.plan_propose(
            actor=user,
            case=selectors.case_for(user, case_id),
            installments=[(i.due_on, i.amount) for i in installments[:100]],
        )
        return {"plan": plan}


class CancelRecoveryPlan(HokweMutation):
    class Arguments:
        plan_id = graphene.UUID(required=True)

    plan = graphene.Field(RecoveryPlanType)

    @classmethod
    def perform(cls, info, user, *, plan_id):
        plan = selectors.case_child_for(PaymentPlan, user, plan_id)
        return {"plan": services.plan_cancel(actor=user, plan=plan)}


class CreateRecoveryPayLink(HokweMutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        amount = Amount(description="Default: all that is owed")

    pay_link = graphene.Field(RecoveryPayLinkType)

    @classmethod
    def perform(cls, info, user, *, case_id, amount=None):
        case = selectors.case_for(user, case_id)
        return {"pay_link": services.debt_pay_link(actor=user, case=case, amount=amount)}


class RecordRecoveryVisit(HokweMutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        outcome = graphene.String(required=True)
        latitude = graphene.Float(required=True)
        longitude = graphene.Float(required=True)
        accuracy_m = graphene.Int()
        visited_at = UTCDateTime()
        note = graphene.String()
        idempotency_key = graphene.String(required=True, description="1 to 100 characters, one per visit")

    visit = graphene.Field(RecoveryVisitType)

    @classmethod
    def perform(cls, info, user, *, case_id, outcome, latitude, longitude, idempotency_key, **options):
        visit = services.visit_record(
            actor=user,
            case=selectors.case_for(user, case_id),
            outcome=outcome,
            latitude=latitude,
            longitude=longitude,
            accuracy_m=options.get("accuracy_m"),
            visited_at=options.get("visited_at"),
            note=(options.get("note") or "")[:2000],
            idempotency_key=idempotency_key,
        )
        return {"visit": visit}


class RecordRecoveryCall(HokweMutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        outcome = graphene.String(required=True)
        note = graphene.String()
        idempotency_key = graphene.String(required=True)

    call = graphene.Field(RecoveryCallType)

    @classmethod
    def perform(cls, info, user, *, case_id, outcome, idempotency_key, note=""):
        call = services.call_record(
            actor=user,
            case=selectors.case_for(user, case_id),
            outcome=outcome,
            note=(note or "")[:2000],
            idempotency_key=idempotency_key,
        )
        return {"call": call}


class CollectRecoveryCash(HokweMutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        amount = Amount(required=True)
        latitude = graphene.Float()
        longitude = graphene.Float()
        idempotency_key = graphene.String(required=True, description="A retry with it is counted once")

    cash = graphene.Field(RecoveryCashType)

    @classmethod
    def perform(cls, info, user, *, case_id, amount, idempotency_key, latitude=None, longitude=None):
        cash = services.cash_collect(
            actor=user,
            case=selectors.case_for(user, case_id),
            amount=amount,
            latitude=latitude,
            longitude=longitude,
            idempotency_key=idempotency_key,
        )
        return {"cash": cash}


class CompleteRecoveryTask(HokweMutation):
    class Arguments:
        task_id = graphene.UUID(required=True)

    task = graphene.Field(RecoveryTaskType)

    @classmethod
    def perform(cls, info, user, *, task_id):
        task = selectors.case_child_for(CollectorTask, user, task_id)
        return {"task": services.task_complete(actor=user, task=task)}


class CreateRecoveryHandover(HokweMutation):
    class Arguments:
        organization_id = graphene.UUID(required=True)
        collector_id = graphene.UUID(required=True)
        declared = Amount(required=True)
        note = graphene.String()
        idempotency_key = graphene.String(required=True)

    handover = graphene.Field(RecoveryHandoverType)

    @classmethod
    def perform(cls, info, user, *, organization_id, collector_id, declared, idempotency_key, note=""):
        handover = services.handover_create(
            actor=user,
            organization_id=_org(user, organization_id),
            collector=collector_id,
            declared=declared,
            note=(note or "")[:2000],
            idempotency_key=idempotency_key,
        )
        return {"handover": CashHandover.objects.select_related("collector").get(pk=handover.pk)}


class SaveRecoveryLadder(HokweMutation):
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

    @classmethod
    def perform(cls, info, user, *, organization_id, steps, **settings):
        org_id = _org(user, organization_id)
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
        return {"ladder": services.ladder_save(actor=user, organization_id=org_id, steps=inputs, **values)}


class AddRecoveryHoliday(HokweMutation):
    """A day off of the organization: the ladder sends nothing that day."""

    class Arguments:
        organization_id = graphene.UUID(required=True)
        date = graphene.Date(required=True)
        name = graphene.String(required=True)

    holiday = graphene.Field(RecoveryHolidayType)

    @classmethod
    def perform(cls, info, user, *, organization_id, date, name):
        holiday = services.holiday_add(
            actor=user, organization_id=_org(user, organization_id), on=date, name=name[:100]
        )
        return {"holiday": holiday}


class IssueRecoveryFormalNotice(HokweMutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        pay_within_days = graphene.Int()

    notice = graphene.Field(RecoveryNoticeType)

    @classmethod
    def perform(cls, info, user, *, case_id, pay_within_days=None):
        notice = services.formal_notice_issue(
            actor=user, case=selectors.case_for(user, case_id), pay_within_days=pay_within_days or 8
        )
        return {"notice": notice}


class EscalateRecoveryCase(HokweMutation):
    class Arguments:
        case_id = graphene.UUID(required=True)
        kind = graphene.String(description="bailiff | lawyer")
        firm = graphene.String()
        contact = graphene.String()
        notes = graphene.String()

    legal_action = graphene.Field(RecoveryLegalActionType)

    @classmethod
    def perform(cls, info, user, *, case_id, kind="bailiff", firm="", contact="", notes=""):
        action = services.legal_escalate(
            actor=user,
            case=selectors.case_for(user, case_id),
            kind=kind or "bailiff",
            firm=firm or "",
            contact=contact or "",
            notes=(notes or "")[:4000],
        )
        return {"legal_action": LegalAction.objects.select_related("case").get(pk=action.pk)}


class UpdateRecoveryLegalAction(HokweMutation):
    class Arguments:
        legal_action_id = graphene.UUID(required=True)
        status = graphene.String()
        firm = graphene.String()
        contact = graphene.String()
        reference = graphene.String()
        cost = Amount()
        notes = graphene.String()

    legal_action = graphene.Field(RecoveryLegalActionType)

    LIMITS = {"firm": 150, "contact": 150, "reference": 60, "notes": 4000}

    @classmethod
    def perform(cls, info, user, *, legal_action_id, **changes):
        action = selectors.case_child_for(LegalAction, user, legal_action_id)
        values = {
            k: (v[: cls.LIMITS[k]] if k in cls.LIMITS else v) for k, v in changes.items() if v is not None
        }
        action = services.legal_update(actor=user, action=action, **values)
        return {"legal_action": LegalAction.objects.select_related("case").get(pk=action.pk)}


class RecoveryMutations(graphene.ObjectType):
    recovery_assign_case = AssignRecoveryCase.Field()
    recovery_add_note = AddRecoveryNote.Field()
    recovery_close_case = CloseRecoveryCase.Field()
    recovery_create_promise = CreateRecoveryPromise.Field()
    recovery_cancel_promise = CancelRecoveryPromise.Field()
    recovery_propose_plan = ProposeRecoveryPlan.Field()
    recovery_cancel_plan = CancelRecoveryPlan.Field()
    recovery_create_pay_link = CreateRecoveryPayLink.Field()
    recovery_record_visit = RecordRecoveryVisit.Field()
    recovery_record_call = RecordRecoveryCall.Field()
    recovery_collect_cash = CollectRecoveryCash.Field()
    recovery_complete_task = CompleteRecoveryTask.Field()
    recovery_create_handover = CreateRecoveryHandover.Field()
    recovery_save_ladder = SaveRecoveryLadder.Field()
    recovery_add_holiday = AddRecoveryHoliday.Field()
    recovery_issue_formal_notice = IssueRecoveryFormalNotice.Field()
    recovery_escalate_case = EscalateRecoveryCase.Field()
    recovery_update_legal_action = UpdateRecoveryLegalAction.Field()

    # deprecated aliases (the names before issue 14)
    assign_recovery_case = AssignRecoveryCase.Field(deprecation_reason="Use recoveryAssignCase.")
    add_recovery_note = AddRecoveryNote.Field(deprecation_reason="Use recoveryAddNote.")
    close_recovery_case = CloseRecoveryCase.Field(deprecation_reason="Use recoveryCloseCase.")
    create_recovery_promise = CreateRecoveryPromise.Field(deprecation_reason="Use recoveryCreatePromise.")
    cancel_recovery_promise = CancelRecoveryPromise.Field(deprecation_reason="Use recoveryCancelPromise.")
    propose_recovery_plan = ProposeRecoveryPlan.Field(deprecation_reason="Use recoveryProposePlan.")
    cancel_recovery_plan = CancelRecoveryPlan.Field(deprecation_reason="Use recoveryCancelPlan.")
    create_recovery_pay_link = CreateRecoveryPayLink.Field(deprecation_reason="Use recoveryCreatePayLink.")
    record_recovery_visit = RecordRecoveryVisit.Field(deprecation_reason="Use recoveryRecordVisit.")
    record_recovery_call = RecordRecoveryCall.Field(deprecation_reason="Use recoveryRecordCall.")
    collect_recovery_cash = CollectRecoveryCash.Field(deprecation_reason="Use recoveryCollectCash.")
    complete_recovery_task = CompleteRecoveryTask.Field(deprecation_reason="Use recoveryCompleteTask.")
    create_recovery_handover = CreateRecoveryHandover.Field(deprecation_reason="Use recoveryCreateHandover.")
    save_recovery_ladder = SaveRecoveryLadder.Field(deprecation_reason="Use recoverySaveLadder.")
    issue_recovery_formal_notice = IssueRecoveryFormalNotice.Field(
        deprecation_reason="Use recoveryIssueFormalNotice."
    )
    escalate_recovery_case = EscalateRecoveryCase.Field(deprecation_reason="Use recoveryEscalateCase.")
    update_recovery_legal_action = UpdateRecoveryLegalAction.Field(
        deprecation_reason="Use recoveryUpdateLegalAction."
    )
