"""Cms news: REST routes (paths start with `cms/`), owned by the news part."""

from django.urls import path

from . import views_news as v

urlpatterns: list = [
    path("cms/news", v.NewsListView.as_view(), name="cms-news"),
    path("cms/news/<uuid:post_id>", v.NewsDetailView.as_view(), name="cms-news-post"),
]
