"""Scoring's manager pages, mounted under /manager/scoring/ (namespace manager:). Each part
appends its own block of routes (views in web/<part>*.py)."""

from django.urls import path

urlpatterns: list = []


# --- tenant screening: requests, reports and their PDF, decisions, the thresholds ---
from . import screening as _screening  # noqa: E402

urlpatterns += [
    path("screening/", _screening.request_list, name="scoring-screening"),
    path("screening/new", _screening.request_new, name="scoring-screening-new"),
    path("screening/policy", _screening.policy, name="scoring-screening-policy"),
    path("screening/<uuid:request_id>/", _screening.request_detail, name="scoring-screening-request"),
    path("screening/<uuid:request_id>/report.pdf", _screening.report_pdf, name="scoring-screening-pdf"),
    path(
        "screening/<uuid:request_id>/<str:action>", _screening.request_action, name="scoring-screening-action"
    ),
]
