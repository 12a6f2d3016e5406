"""Mounted under /api/v1/ (paths start with `analytics/`)."""

urlpatterns: list = []


# --- product analytics: the apps' events (views_product.py) ---
from django.urls import path  # noqa: E402

from . import views_product  # noqa: E402

urlpatterns += [path("analytics/events", views_product.EventsView.as_view(), name="analytics-events")]

# --- reports (views_reports.py) ---
from . import views_reports  # noqa: E402

urlpatterns += [
    path("analytics/reports/<slug:key>", views_reports.ReportView.as_view(), name="analytics-report"),
]

# --- the dashboard for the apps (views_dashboard.py) ---
from . import views_dashboard  # noqa: E402

urlpatterns += [
    path("analytics/dashboard", views_dashboard.DashboardView.as_view(), name="analytics-dashboard")
]
