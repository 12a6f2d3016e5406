"""REST routes of lending's loans part (under /api/v1/lending/…)."""

urlpatterns: list = []
