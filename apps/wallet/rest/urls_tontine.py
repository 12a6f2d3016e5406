"""REST routes of the wallet's tontine part (under /api/v1/wallet/…)."""

urlpatterns: list = []
