"""REST routes of the wallet's split part (under /api/v1/wallet/…)."""

from django.urls import path

from . import views_split as v

urlpatterns: list = [
    path("wallet/splits", v.SplitPlanListView.as_view(), name="wallet-splits"),
    path("wallet/splits/<uuid:plan_id>", v.SplitPlanDetailView.as_view(), name="wallet-split"),
    path(
        "wallet/splits/<uuid:plan_id>/schedule", v.SplitScheduleView.as_view(), name="wallet-split-schedule"
    ),
    path("wallet/splits/<uuid:plan_id>/pause", v.SplitPauseView.as_view(), name="wallet-split-pause"),
    path("wallet/splits/<uuid:plan_id>/resume", v.SplitResumeView.as_view(), name="wallet-split-resume"),
    path("wallet/splits/<uuid:plan_id>/cancel", v.SplitCancelView.as_view(), name="wallet-split-cancel"),
    path(
        "wallet/splits/<uuid:plan_id>/withdraw", v.SplitWithdrawView.as_view(), name="wallet-split-withdraw"
    ),
]
