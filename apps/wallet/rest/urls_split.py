"""REST routes of the wallet's split part (under /api/v1/wallet/…)."""

urlpatterns: list = []
