"""Cms sites: REST routes (paths start with `cms/`), owned by the sites part."""

urlpatterns: list = []
