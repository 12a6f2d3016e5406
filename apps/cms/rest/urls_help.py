"""Cms help: REST routes (paths start with `cms/`), owned by the help part."""

urlpatterns: list = []
