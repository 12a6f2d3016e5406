"""Mounted under /api/v1/ (paths start with `billing/`)."""

urlpatterns: list = []
