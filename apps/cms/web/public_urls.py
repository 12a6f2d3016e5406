"""Cms's public routes, mounted at the site root: Wagtail's editor at /cms/ (Hokwe's content
staff only), the help centre, news, the vault's share links. Each part appends its block."""

from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("cms/", include(wagtailadmin_urls)),
]


# --- sites ---


# --- help ---


# --- news ---


# --- vault ---
