"""Cms help: REST routes (paths start with `cms/`), owned by the help part."""

from django.urls import path

from . import views_help as v

urlpatterns: list = [
    path("cms/help/search", v.HelpSearchView.as_view(), name="cms-help-search-api"),
    path("cms/help/categories", v.HelpCategoriesView.as_view(), name="cms-help-categories-api"),
    path("cms/help/articles/<slug:slug>", v.HelpArticleView.as_view(), name="cms-help-article-api"),
    path(
        "cms/help/articles/<slug:slug>/feedback", v.HelpFeedbackView.as_view(), name="cms-help-feedback-api"
    ),
    path("cms/help/tickets", v.HelpTicketsView.as_view(), name="cms-help-tickets-api"),
]
