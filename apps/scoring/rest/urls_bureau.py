"""REST routes of scoring's bureau part (under /api/v1/scoring/…)."""

urlpatterns: list = []
