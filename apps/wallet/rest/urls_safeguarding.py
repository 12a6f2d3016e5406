"""REST routes of the wallet's safeguarding part (under /api/v1/wallet/…)."""

urlpatterns: list = []
