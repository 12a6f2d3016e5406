"""REST routes of scoring's score part (under /api/v1/scoring/…)."""

from django.urls import path

from . import views_score as v

urlpatterns: list = [
    path("scoring/me", v.MyScoreView.as_view(), name="scoring-me"),
    path("scoring/me/history", v.MyHistoryView.as_view(), name="scoring-me-history"),
    path("scoring/me/lines", v.MyLinesView.as_view(), name="scoring-me-lines"),
    path("scoring/me/disputes", v.MyDisputesView.as_view(), name="scoring-me-disputes"),
    path("scoring/me/disputes/<uuid:dispute_id>", v.MyDisputeView.as_view(), name="scoring-me-dispute"),
]
