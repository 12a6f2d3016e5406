"""REST routes of market's listings part (under /api/v1/market/…)."""

urlpatterns: list = []
