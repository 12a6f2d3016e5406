"""REST routes of scoring's valuation part (under /api/v1/scoring/…)."""

urlpatterns: list = []
