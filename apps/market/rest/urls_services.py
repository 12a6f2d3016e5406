"""REST routes of market's services part (under /api/v1/market/…)."""

urlpatterns: list = []
