"""REST routes of market's applications part (under /api/v1/market/…)."""

urlpatterns: list = []
