"""REST routes of lending's fund part (under /api/v1/lending/…)."""

urlpatterns: list = []
