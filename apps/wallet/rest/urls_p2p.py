"""REST routes of the wallet's p2p part (under /api/v1/wallet/…)."""

urlpatterns: list = []
