"""REST for the manager and collector apps. Thin: parse, call a service, render. Every object
goes through a scoped selector: another organization's case (or, for a collector, a case not
assigned to them) is a 404. Field writes (calls, visits, cash) need an Idempotency-Key: the
response is stored and replayed, and the service counts the write once even when two
retries race."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import NotFound
from apps.core.idempotency import HEADER
from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent

from .. import selectors, services
from ..contracts import TaskStatus
from ..models import Case, CaseEvent, CashHandover, CollectorTask, LegalAction, PaymentPlan, Promise
from . import serializers as s

KEY_PARAMETER = OpenApiParameter(
    HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=True, description="1 to 100 characters"
)
OPTIONAL_KEY = OpenApiParameter(HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False)


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _query(serializer_class, request):
    return _parse(serializer_class, request.query_params.dict())


def _key(request) -> str:
    return request.headers.get(HEADER) or ""


def _member_org_id(actor, public_id: UUID) -> int:
    return selectors.member_org_id(actor, public_id)


def _case(request, case_id) -> Case:
    return selectors.case_for(request.user, case_id)


def _scoped(model, request, public_id):
    """A promise, plan, legal action or task of a case the actor sees, else 404."""
    return selectors.case_child_for(model, request.user, public_id)


def _case_out(request, case: Case, code: int = 200) -> Response:
    return Response(s.RecoveryCaseOut(selectors.case_for(request.user, case.public_id)).data, status=code)


def _cases(request):
    filters = _query(s.RecoveryCaseQuery, request)
    filters.pop("cursor", None)
    filters.pop("page_size", None)
    return selectors.cases_for(request.user, **filters)


class CasePages(CursorPagination):
    ordering = ("-opened_on", "-id")


class TimelinePages(CursorPagination):
    ordering = ("-happened_at", "-id")


class Pages(CursorPagination):
    ordering = ("-created_at", "-id")


# --- cases ---------------------------------------------------------------------------------------


@extend_schema(tags=["recovery"], parameters=[s.RecoveryCaseQuery])
class CaseListView(generics.ListAPIView):
    """Recovery cases I may see (a collector: those assigned to me). Filters: organization,
    status (`live` = not closed), collector, property, q, without_next_action."""

    serializer_class = s.RecoveryCaseOut
    pagination_class = CasePages

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        return _cases(self.request)


@extend_schema(
    tags=["recovery"],
    parameters=[s.RecoveryCaseQuery],
    responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="Cases (CSV, French)")},
)
class CaseExportView(APIView):
    def get(self, request, **kwargs):
        """The filtered cases as CSV (semicolon-separated, UTF-8 with BOM, for Excel)."""
        text = services.cases_csv(_cases(request).order_by("-opened_on", "-id"))
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="recouvrement-{stamp}.csv"'
        return response


def _case_detail(request, case_id) -> dict:
    case = _case(request, case_id)
    plans = list(selectors.plans_of(case).filter(status__in=["proposed", "active"])[:1])
    for plan in plans:
        for inst in plan.installments.all():
            inst.plan = plan
    legal = list(selectors.legal_of(case))
    notices = list(selectors.notices_of(case))
    for row in (*legal, *notices):
        row.case = case
    data = s.RecoveryCaseOut(case).data
    data.update(
        portal_url=services.portal_url(case),
        promises=s.RecoveryPromiseOut(selectors.promises_of(case), many=True).data,
        active_plan=s.RecoveryPlanOut(plans[0]).data if plans else None,
        notices=s.RecoveryNoticeOut(notices, many=True).data,
        legal_actions=s.RecoveryLegalOut(legal, many=True).data,
        open_tasks=s.RecoveryTaskOut(
            case.tasks.filter(status=TaskStatus.OPEN).order_by("due_on", "id"), many=True
        ).data,
    )
    return data


@extend_schema(tags=["recovery"])
class CaseDetailView(APIView):
    @extend_schema(responses=s.RecoveryCaseDetailOut)
    def get(self, request, case_id, **kwargs):
        """The case with its promises, the plan running or proposed, notices, legal actions,
        open tasks and the debtor portal link."""
        return Response(_case_detail(request, case_id))


@extend_schema(tags=["recovery"], parameters=[s.RecoveryPageQuery])
class CaseTimelineView(generics.ListAPIView):
    """The case timeline, newest first."""

    serializer_class = s.RecoveryEventOut
    pagination_class = TimelinePages

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CaseEvent.objects.none()
        _query(s.RecoveryPageQuery, self.request)
        case = _case(self.request, self.kwargs["case_id"])
        return selectors.timeline(case).select_related("case")


@extend_schema(tags=["recovery"])
class CaseAssignView(APIView):
    @extend_schema(request=s.RecoveryAssignIn, responses=s.RecoveryCaseOut)
    def post(self, request, case_id, **kwargs):
        """Give the case to a collector of the organization (null: to nobody)."""
        case = _case(request, case_id)
        data = _parse(s.RecoveryAssignIn, request.data)
        services.case_assign(actor=request.user, case=case, collector=data["collector"])
        return _case_out(request, case)


@extend_schema(tags=["recovery"])
class CaseNoteView(APIView):
    @extend_schema(request=s.RecoveryNoteIn, responses={201: s.RecoveryEventOut}, parameters=[OPTIONAL_KEY])
    @idempotent()
    def post(self, request, case_id, **kwargs):
        """A note on the timeline, optionally with the date of the next action."""
        case = _case(request, case_id)
        data = _parse(s.RecoveryNoteIn, request.data)
        note = services.case_note(
            actor=request.user, case=case, text=data["text"], next_action_on=data.get("next_action_on")
        )
        note = CaseEvent.objects.select_related("actor", "step", "case").get(pk=note.pk)
        return Response(s.RecoveryEventOut(note).data, status=201)


@extend_schema(tags=["recovery"])
class CaseCloseView(APIView):
    @extend_schema(request=s.RecoveryCloseIn, responses=s.RecoveryCaseOut, parameters=[OPTIONAL_KEY])
    @idempotent()
    def post(self, request, case_id, **kwargs):
        """End the recovery: `settled` (arranged outside Hokwe) or `written_off` (the open dues
        are written off on the ledger)."""
        case = _case(request, case_id)
        data = _parse(s.RecoveryCloseIn, request.data)
        services.case_close(actor=request.user, case=case, outcome=data["outcome"], reason=data["reason"])
        return _case_out(request, case)


@extend_schema(tags=["recovery"])
class PromiseCreateView(APIView):
    @extend_schema(
        request=s.RecoveryPromiseIn, responses={201: s.RecoveryPromiseOut}, parameters=[OPTIONAL_KEY]
    )
    @idempotent()
    def post(self, request, case_id, **kwargs):
        """The tenant promises to pay an amount by a date (today or later): the ladder waits."""
        case = _case(request, case_id)
        data = _parse(s.RecoveryPromiseIn, request.data)
        promise = services.promise_create(
            actor=request.user, case=case, amount=data["amount"], promised_on=data["promised_on"]
        )
        return Response(s.RecoveryPromiseOut(promise).data, status=201)


@extend_schema(tags=["recovery"])
class PromiseCancelView(APIView):
    @extend_schema(request=None, responses=s.RecoveryPromiseOut)
    def post(self, request, promise_id, **kwargs):
        promise = _scoped(Promise, request, promise_id)
        return Response(
            s.RecoveryPromiseOut(services.promise_cancel(actor=request.user, promise=promise)).data
        )


def _plan_out(plan: PaymentPlan) -> dict:
    plan = PaymentPlan.objects.prefetch_related("installments").get(pk=plan.pk)
    for inst in plan.installments.all():
        inst.plan = plan
    return s.RecoveryPlanOut(plan).data


@extend_schema(tags=["recovery"])
class PlanProposeView(APIView):
    @extend_schema(request=s.RecoveryPlanIn, responses={201: s.RecoveryPlanOut}, parameters=[OPTIONAL_KEY])
    @idempotent()
    def post(self, request, case_id, **kwargs):
        """Split the debt into 2–24 installments (increasing dates from today, adding up exactly
        to what is owed). The tenant accepts it with a code sent to their phone (portal)."""
        case = _case(request, case_id)
        data = _parse(s.RecoveryPlanIn, request.data)
        plan = services.plan_propose(
            actor=request.user,
            case=case,
            installments=[(i["due_on"], i["amount"]) for i in data["installments"]],
        )
        return Response(_plan_out(plan), status=201)


@extend_schema(tags=["recovery"])
class PlanCancelView(APIView):
    @extend_schema(request=None, responses=s.RecoveryPlanOut)
    def post(self, request, plan_id, **kwargs):
        plan = _scoped(PaymentPlan, request, plan_id)
        return Response(_plan_out(services.plan_cancel(actor=request.user, plan=plan)))


@extend_schema(tags=["recovery"])
class PayLinkView(APIView):
    @extend_schema(
        request=s.RecoveryPayLinkIn, responses={201: s.RecoveryPayLinkOut}, parameters=[OPTIONAL_KEY]
    )
    @idempotent()
    def post(self, request, case_id, **kwargs):
        """A pay link (payment intent) for all or part of the debt, to send to the tenant."""
        case = _case(request, case_id)
        data = _parse(s.RecoveryPayLinkIn, request.data or {})
        intent = services.debt_pay_link(actor=request.user, case=case, amount=data.get("amount"))
        return Response(s.RecoveryPayLinkOut(intent).data, status=201)


@extend_schema(tags=["recovery"])
class NoticeIssueView(APIView):
    @extend_schema(
        request=s.RecoveryNoticeIn, responses={201: s.RecoveryNoticeOut}, parameters=[OPTIONAL_KEY]
    )
    @idempotent()
    def post(self, request, case_id, **kwargs):
        """Issue a numbered formal notice (mise en demeure) for what is past due, and send it."""
        case = _case(request, case_id)
        data = _parse(s.RecoveryNoticeIn, request.data or {})
        notice = services.formal_notice_issue(
            actor=request.user, case=case, pay_within_days=data["pay_within_days"]
        )
        return Response(s.RecoveryNoticeOut(notice).data, status=201)


@extend_schema(
    tags=["recovery"],
    parameters=[
        OpenApiParameter(
            "lang",
            OpenApiTypes.STR,
            OpenApiParameter.QUERY,
            enum=["fr", "en"],
            description="`en` for the courtesy translation; the French notice is the one that counts.",
        )
    ],
    responses={
        (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The notice (PDF)")
    },
)
class NoticePdfView(APIView):
    def get(self, request, case_id, number, **kwargs):
        """A formal notice as PDF (French; `?lang=en` for the courtesy translation)."""
        from .. import documents

        case = _case(request, case_id)
        notice = selectors.notice_for_case(case, number)
        language = "en" if request.query_params.get("lang") == "en" else "fr"
        response = HttpResponse(
            documents.formal_notice_pdf(notice, language=language), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="mise-en-demeure-{notice.number}.pdf"'
        return response


@extend_schema(tags=["recovery"])
class LegalEscalateView(APIView):
    @extend_schema(request=s.RecoveryLegalIn, responses={201: s.RecoveryLegalOut}, parameters=[OPTIONAL_KEY])
    @idempotent()
    def post(self, request, case_id, **kwargs):
        """Hand the case to a bailiff (huissier) or a lawyer: the ladder stops."""
        case = _case(request, case_id)
        data = _parse(s.RecoveryLegalIn, request.data)
        action = services.legal_escalate(actor=request.user, case=case, **data)
        return Response(s.RecoveryLegalOut(action).data, status=201)


@extend_schema(tags=["recovery"])
class LegalDetailView(APIView):
    @extend_schema(request=s.RecoveryLegalPatch, responses=s.RecoveryLegalOut)
    def patch(self, request, legal_id, **kwargs):
        action = _scoped(LegalAction, request, legal_id)
        data = _parse(s.RecoveryLegalPatch, request.data)
        action = services.legal_update(actor=request.user, action=action, **data)
        return Response(s.RecoveryLegalOut(LegalAction.objects.select_related("case").get(pk=action.pk)).data)


# --- the collector app -----------------------------------------------------------------------------


@extend_schema(tags=["recovery-collector"])
class WorklistView(APIView):
    @extend_schema(parameters=[s.RecoveryWorklistQuery], responses=s.RecoveryWorkItemOut(many=True))
    def get(self, request, **kwargs):
        """My cases for today, best first (amount, age, promises and tasks due, nearness to
        where I stand when latitude/longitude are given)."""
        where = _query(s.RecoveryWorklistQuery, request)
        items = services.worklist(
            actor=request.user, latitude=where.get("latitude"), longitude=where.get("longitude")
        )
        return Response(s.RecoveryWorkItemOut(items, many=True).data)


@extend_schema(tags=["recovery-collector"])
class CallView(APIView):
    @extend_schema(request=s.RecoveryCallIn, responses={201: s.RecoveryCallOut}, parameters=[KEY_PARAMETER])
    @idempotent()
    def post(self, request, case_id, **kwargs):
        """A call made to the tenant. Idempotency-Key required."""
        case = _case(request, case_id)
        data = _parse(s.RecoveryCallIn, request.data)
        call = services.call_record(
            actor=request.user,
            case=case,
            outcome=data["outcome"],
            note=data["note"],
            called_at=data.get("called_at"),
            idempotency_key=_key(request),
        )
        return Response(s.RecoveryCallOut(call).data, status=201)


@extend_schema(tags=["recovery-collector"])
class VisitView(APIView):
    @extend_schema(request=s.RecoveryVisitIn, responses={201: s.RecoveryVisitOut}, parameters=[KEY_PARAMETER])
    @idempotent()
    def post(self, request, case_id, **kwargs):
        """A field visit with the device's GPS fix and time. Idempotency-Key required."""
        case = _case(request, case_id)
        data = _parse(s.RecoveryVisitIn, request.data)
        visit = services.visit_record(
            actor=request.user,
            case=case,
            outcome=data["outcome"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            accuracy_m=data.get("accuracy_m"),
            visited_at=data.get("visited_at"),
            note=data["note"],
            idempotency_key=_key(request),
        )
        return Response(s.RecoveryVisitOut(visit).data, status=201)


@extend_schema(tags=["recovery-collector"])
class CashView(APIView):
    @extend_schema(request=s.RecoveryCashIn, responses={201: s.RecoveryCashOut}, parameters=[KEY_PARAMETER])
    @idempotent()
    def post(self, request, case_id, **kwargs):
        """Cash received from the tenant: a numbered receipt at once (SMS to the tenant),
        applied to the oldest dues. Idempotency-Key required: a retry is counted once."""
        case = _case(request, case_id)
        data = _parse(s.RecoveryCashIn, request.data)
        cash = services.cash_collect(
            actor=request.user,
            case=case,
            amount=data["amount"],
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            idempotency_key=_key(request),
        )
        return Response(s.RecoveryCashOut(cash).data, status=201)


@extend_schema(tags=["recovery-collector"])
class TaskCompleteView(APIView):
    @extend_schema(request=None, responses=s.RecoveryTaskDoneOut)
    def post(self, request, task_id, **kwargs):
        task = _scoped(CollectorTask, request, task_id)
        return Response(s.RecoveryTaskDoneOut(services.task_complete(actor=request.user, task=task)).data)


# --- handovers -----------------------------------------------------------------------------------------


@extend_schema(tags=["recovery"], parameters=[s.RecoveryHandoverQuery])
class HandoverListView(generics.ListAPIView):
    """End-of-day cash handovers (a collector: mine)."""

    serializer_class = s.RecoveryHandoverOut
    pagination_class = Pages

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CashHandover.objects.none()
        filters = _query(s.RecoveryHandoverQuery, self.request)
        return selectors.handovers_for(self.request.user, organization=filters.get("organization"))

    @extend_schema(
        request=s.RecoveryHandoverIn, responses={201: s.RecoveryHandoverOut}, parameters=[KEY_PARAMETER]
    )
    @idempotent()
    def post(self, request, **kwargs):
        """The cash a collector hands over, counted by a manager or accountant; checked against
        what the ledger says the collector holds. Idempotency-Key required."""
        data = _parse(s.RecoveryHandoverIn, request.data)
        handover = services.handover_create(
            actor=request.user,
            organization_id=_member_org_id(request.user, data["organization"]),
            collector=data["collector"],
            declared=data["declared"],
            note=data["note"],
            idempotency_key=_key(request),
        )
        handover = CashHandover.objects.select_related("organization", "collector", "received_by").get(
            pk=handover.pk
        )
        return Response(s.RecoveryHandoverOut(handover).data, status=201)


@extend_schema(tags=["recovery"])
class HandoverPreviewView(APIView):
    @extend_schema(parameters=[s.RecoveryHandoverPreviewQuery], responses=s.RecoveryHandoverPreviewOut)
    def get(self, request, **kwargs):
        """What the collector should hand over: receipts not yet handed over and the ledger."""
        data = _query(s.RecoveryHandoverPreviewQuery, request)
        org_id = _member_org_id(request.user, data["organization"])
        preview = services.handover_preview(
            actor=request.user, organization_id=org_id, collector=data["collector"]
        )
        return Response(s.RecoveryHandoverPreviewOut(preview).data)


# --- ladder ----------------------------------------------------------------------------------------------


def _ladder_out(ladder) -> dict:
    return s.RecoveryLadderOut(type(ladder).objects.prefetch_related("steps").get(pk=ladder.pk)).data


@extend_schema(tags=["recovery"])
class LadderView(APIView):
    @extend_schema(parameters=[s.RecoveryOrgQuery], responses=s.RecoveryLadderOut)
    def get(self, request, **kwargs):
        """The organization's active dunning ladder with its steps."""
        data = _query(s.RecoveryOrgQuery, request)
        org_id = selectors.organization_for_report(request.user, data.get("organization"))
        ladder = selectors.ladder_for(request.user, org_id)
        if ladder is None:
            raise NotFound()
        return Response(_ladder_out(ladder))

    @extend_schema(request=s.RecoveryLadderIn, responses=s.RecoveryLadderOut)
    def put(self, request, **kwargs):
        """Replace the ladder's settings and steps (steps already run keep their history)."""
        data = _parse(s.RecoveryLadderIn, request.data)
        org_id = _member_org_id(request.user, data.pop("organization"))
        steps = [services.StepInput(**step) for step in data.pop("steps")]
        ladder = services.ladder_save(actor=request.user, organization_id=org_id, steps=steps, **data)
        return Response(_ladder_out(ladder))


@extend_schema(tags=["recovery"])
class HolidayView(APIView):
    @extend_schema(
        request=s.RecoveryHolidayIn, responses={201: s.RecoveryHolidayOut}, parameters=[OPTIONAL_KEY]
    )
    @idempotent()
    def post(self, request, **kwargs):
        """A day off of the organization: the ladder sends nothing that day."""
        data = _parse(s.RecoveryHolidayIn, request.data)
        org_id = _member_org_id(request.user, data["organization"])
        holiday = services.holiday_add(
            actor=request.user, organization_id=org_id, on=data["date"], name=data["name"]
        )
        return Response(s.RecoveryHolidayOut(holiday).data, status=201)


# --- reports ---------------------------------------------------------------------------------------------


@extend_schema(tags=["recovery"])
class AgingView(APIView):
    @extend_schema(parameters=[s.RecoveryAgingQuery], responses=s.RecoveryAgingOut)
    def get(self, request, **kwargs):
        """The aging of the arrears (balance âgée) by property, owner, unit, lease, tenant or
        organization; amounts in minor units."""
        data = _query(s.RecoveryAgingQuery, request)
        org_id = selectors.organization_for_report(request.user, data.get("organization"))
        report = services.aging(actor=request.user, organization_id=org_id, by=data["by"])
        return Response(s.RecoveryAgingOut(s.aging_data(report)).data)


@extend_schema(tags=["recovery"])
class DashboardView(APIView):
    @extend_schema(parameters=[s.RecoveryOrgQuery], responses=s.RecoveryDashboardOut)
    def get(self, request, **kwargs):
        """Recovered this month, rates by ladder step and by collector, cases without a next
        action, the aging and its 90-day trend."""
        data = _query(s.RecoveryOrgQuery, request)
        org_id = selectors.organization_for_report(request.user, data.get("organization"))
        dashboard = services.dashboard(actor=request.user, organization_id=org_id)
        return Response(s.RecoveryDashboardOut(s.dashboard_data(dashboard)).data)
