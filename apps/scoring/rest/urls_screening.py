"""REST routes of scoring's screening part (under /api/v1/scoring/…)."""

urlpatterns: list = []
