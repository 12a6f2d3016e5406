"""Cms news: REST routes (paths start with `cms/`), owned by the news part."""

urlpatterns: list = []
