"""Mounted under /api/v1/ (paths start with `ai/`)."""

urlpatterns: list = []
