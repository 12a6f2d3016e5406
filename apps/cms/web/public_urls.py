"""Cms's public routes, mounted at the site root: Wagtail's editor at /cms/ (Hokwe's content
staff only), the help centre, news, the vault's share links. Each part appends its block."""

from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("cms/", include(wagtailadmin_urls)),
]


# --- sites ---


# --- help ---
from django.urls import path as _help_path  # noqa: E402

from . import help as _help  # noqa: E402

urlpatterns += [
    _help_path("help/", _help.home, name="cms-help"),
    _help_path("help/search", _help.search, name="cms-help-search"),
    _help_path("help/suggest", _help.suggest, name="cms-help-suggest"),
    _help_path("help/contact/", _help.contact, name="cms-help-contact"),
    _help_path("help/a/<slug:slug>/", _help.article, name="cms-help-article"),
    _help_path("help/a/<slug:slug>/feedback", _help.feedback, name="cms-help-feedback"),
]


# --- news ---


# --- vault ---
