"""Cms vault: REST routes (paths start with `cms/`), owned by the vault part."""

urlpatterns: list = []
