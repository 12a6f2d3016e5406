"""REST routes of market's applications part (under /api/v1/market/…)."""

from django.urls import path

from . import views_applications as v

urlpatterns: list = [
    path("market/applications", v.ApplicationListView.as_view(), name="market-applications"),
    path(
        "market/applications/<uuid:application_id>",
        v.ApplicationDetailView.as_view(),
        name="market-application",
    ),
    path(
        "market/applications/<uuid:application_id>/withdraw",
        v.ApplicationWithdrawView.as_view(),
        name="market-application-withdraw",
    ),
    path(
        "market/applications/<uuid:application_id>/accept",
        v.ApplicationAcceptView.as_view(),
        name="market-application-accept",
    ),
    path(
        "market/applications/<uuid:application_id>/decline",
        v.ApplicationDeclineView.as_view(),
        name="market-application-decline",
    ),
    path(
        "market/listings/<uuid:listing_id>/applicants",
        v.ApplicantListView.as_view(),
        name="market-listing-applicants",
    ),
]
