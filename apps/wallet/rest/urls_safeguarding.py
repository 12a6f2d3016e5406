"""REST routes of the wallet's safeguarding part (under /api/v1/wallet/…)."""

from django.urls import path

from . import views_safeguarding as views

urlpatterns: list = [
    path(
        "wallet/safeguarding/reports",
        views.SafeguardingReportListView.as_view(),
        name="wallet-safeguarding-reports",
    ),
]
