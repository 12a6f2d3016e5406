"""Recovery's manager pages, mounted under /manager/recovery/ (namespace manager:)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="recovery-dashboard"),
    path("cases/", views.case_list, name="recovery-cases"),
    path("cases/export.csv", views.case_export, name="recovery-cases-export"),
    path("cases/<uuid:case_id>/", views.case_detail, name="recovery-case"),
    path("cases/<uuid:case_id>/notice/<str:number>.pdf", views.notice_pdf, name="recovery-notice-pdf"),
    path("cases/<uuid:case_id>/<str:action>", views.case_action, name="recovery-case-action"),
    path("ladder/", views.ladder, name="recovery-ladder"),
    path("ladder/holidays", views.holiday_new, name="recovery-holiday-new"),
    path("handovers/", views.handovers, name="recovery-handovers"),
]
