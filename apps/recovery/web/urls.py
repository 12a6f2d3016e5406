"""Recovery's manager pages, mounted under /manager/recovery/ (namespace manager:)."""

from django.urls import path

from . import cases, dashboard, handovers, ladder

urlpatterns = [
    path("", dashboard.dashboard, name="recovery-dashboard"),
    path("cases/", cases.case_list, name="recovery-cases"),
    path("cases/export.csv", cases.case_export, name="recovery-cases-export"),
    path("cases/<uuid:case_id>/", cases.case_detail, name="recovery-case"),
    path("cases/<uuid:case_id>/notice/<str:number>.pdf", cases.notice_pdf, name="recovery-notice-pdf"),
    path("cases/<uuid:case_id>/<str:action>", cases.case_action, name="recovery-case-action"),
    path("ladder/", ladder.ladder, name="recovery-ladder"),
    path("ladder/holidays", ladder.holiday_new, name="recovery-holiday-new"),
    path("handovers/", handovers.handovers, name="recovery-handovers"),
]
