"""REST routes of scoring's valuation part (under /api/v1/scoring/…)."""

from django.urls import path

from . import views_valuation as v

urlpatterns: list = [
    path(
        "scoring/units/<uuid:unit_id>/valuation", v.UnitValuationView.as_view(), name="scoring-unit-valuation"
    ),
]
