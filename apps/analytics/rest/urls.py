"""Mounted under /api/v1/ (paths start with `analytics/`)."""

urlpatterns: list = []
