"""Manager pages, mounted under /manager/analytics/ (namespace manager:)."""

from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.report_index, name="analytics-reports"),
    path("reports/subscriptions/", views.subscriptions, name="analytics-subscriptions"),
    path(
        "reports/subscriptions/<uuid:subscription_id>/cancel",
        views.subscription_cancel,
        name="analytics-subscription-cancel",
    ),
    path("reports/<slug:key>/", views.report, name="analytics-report"),
    path("reports/<slug:key>/export.<str:fmt>", views.report_export, name="analytics-report-export"),
]
