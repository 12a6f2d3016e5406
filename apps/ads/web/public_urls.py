"""Ads' public routes (no /manager/ prefix): the beacons, and the creators' pages. Each part
appends its own block of routes."""

urlpatterns: list = []
