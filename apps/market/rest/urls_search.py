"""REST routes of market's search part (under /api/v1/market/…)."""

urlpatterns: list = []
