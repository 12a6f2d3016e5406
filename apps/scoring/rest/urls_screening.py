"""REST routes of scoring's screening part (under /api/v1/scoring/…)."""

from django.urls import path

from . import views_screening as v

urlpatterns: list = [
    path(
        "scoring/screening/requests", v.ScreeningRequestListView.as_view(), name="scoring-screening-requests"
    ),
    path(
        "scoring/screening/requests/<uuid:request_id>",
        v.ScreeningRequestDetailView.as_view(),
        name="scoring-screening-request",
    ),
    path(
        "scoring/screening/requests/<uuid:request_id>/report",
        v.ScreeningReportView.as_view(),
        name="scoring-screening-report",
    ),
    path(
        "scoring/screening/requests/<uuid:request_id>/report.pdf",
        v.ScreeningReportPdfView.as_view(),
        name="scoring-screening-report-pdf",
    ),
    path(
        "scoring/screening/requests/<uuid:request_id>/decision",
        v.ScreeningDecisionView.as_view(),
        name="scoring-screening-decision",
    ),
    path(
        "scoring/screening/policies/<uuid:organization_id>",
        v.ScreeningPolicyView.as_view(),
        name="scoring-screening-policy",
    ),
    path("scoring/screening/mine", v.MyScreeningListView.as_view(), name="scoring-screening-mine"),
    path(
        "scoring/screening/mine/<uuid:request_id>/consent/start",
        v.MyScreeningConsentStartView.as_view(),
        name="scoring-screening-consent-start",
    ),
    path(
        "scoring/screening/mine/<uuid:request_id>/consent",
        v.MyScreeningConsentView.as_view(),
        name="scoring-screening-consent",
    ),
    path(
        "scoring/screening/mine/<uuid:request_id>/withdraw",
        v.MyScreeningWithdrawView.as_view(),
        name="scoring-screening-withdraw",
    ),
]
