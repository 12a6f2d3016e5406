"""REST routes of scoring's score part (under /api/v1/scoring/…)."""

urlpatterns: list = []
