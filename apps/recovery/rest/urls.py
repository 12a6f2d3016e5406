"""Mounted under /api/v1/ (hokwe/urls.py discovers it)."""

from django.urls import path

from . import views as v

urlpatterns = [
    path("recovery/cases", v.CaseListView.as_view(), name="recovery-cases"),
    path("recovery/cases/export.csv", v.CaseExportView.as_view(), name="recovery-cases-export"),
    path("recovery/cases/<uuid:case_id>", v.CaseDetailView.as_view(), name="recovery-case"),
    path(
        "recovery/cases/<uuid:case_id>/timeline", v.CaseTimelineView.as_view(), name="recovery-case-timeline"
    ),
    path("recovery/cases/<uuid:case_id>/assign", v.CaseAssignView.as_view(), name="recovery-case-assign"),
    path("recovery/cases/<uuid:case_id>/notes", v.CaseNoteView.as_view(), name="recovery-case-notes"),
    path("recovery/cases/<uuid:case_id>/close", v.CaseCloseView.as_view(), name="recovery-case-close"),
    path(
        "recovery/cases/<uuid:case_id>/promises", v.PromiseCreateView.as_view(), name="recovery-case-promises"
    ),
    path("recovery/cases/<uuid:case_id>/plans", v.PlanProposeView.as_view(), name="recovery-case-plans"),
    path("recovery/cases/<uuid:case_id>/pay-link", v.PayLinkView.as_view(), name="recovery-case-pay-link"),
    path(
        "recovery/cases/<uuid:case_id>/formal-notices",
        v.NoticeIssueView.as_view(),
        name="recovery-case-notices",
    ),
    path(
        "recovery/cases/<uuid:case_id>/formal-notices/<str:number>.pdf",
        v.NoticePdfView.as_view(),
        name="recovery-notice-pdf",
    ),
    path("recovery/cases/<uuid:case_id>/legal", v.LegalEscalateView.as_view(), name="recovery-case-legal"),
    path("recovery/cases/<uuid:case_id>/calls", v.CallView.as_view(), name="recovery-case-calls"),
    path("recovery/cases/<uuid:case_id>/visits", v.VisitView.as_view(), name="recovery-case-visits"),
    path("recovery/cases/<uuid:case_id>/cash", v.CashView.as_view(), name="recovery-case-cash"),
    path(
        "recovery/promises/<uuid:promise_id>/cancel",
        v.PromiseCancelView.as_view(),
        name="recovery-promise-cancel",
    ),
    path("recovery/plans/<uuid:plan_id>/cancel", v.PlanCancelView.as_view(), name="recovery-plan-cancel"),
    path("recovery/legal/<uuid:legal_id>", v.LegalDetailView.as_view(), name="recovery-legal"),
    path(
        "recovery/tasks/<uuid:task_id>/complete", v.TaskCompleteView.as_view(), name="recovery-task-complete"
    ),
    path("recovery/worklist", v.WorklistView.as_view(), name="recovery-worklist"),
    path("recovery/handovers", v.HandoverListView.as_view(), name="recovery-handovers"),
    path("recovery/handovers/preview", v.HandoverPreviewView.as_view(), name="recovery-handover-preview"),
    path("recovery/ladder", v.LadderView.as_view(), name="recovery-ladder"),
    path("recovery/holidays", v.HolidayView.as_view(), name="recovery-holidays"),
    path("recovery/aging", v.AgingView.as_view(), name="recovery-aging"),
    path("recovery/dashboard", v.DashboardView.as_view(), name="recovery-dashboard"),
]
