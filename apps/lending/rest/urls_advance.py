"""REST routes of lending's advance part (under /api/v1/lending/…)."""

urlpatterns: list = []
