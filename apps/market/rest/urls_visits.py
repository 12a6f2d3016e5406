"""REST routes of market's visits part (under /api/v1/market/…)."""

urlpatterns: list = []
