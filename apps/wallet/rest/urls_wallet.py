"""REST routes of the wallet's wallet part (under /api/v1/wallet/…)."""

urlpatterns: list = []
