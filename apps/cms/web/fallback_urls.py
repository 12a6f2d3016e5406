"""Mounted after every module's routes (hokwe/urls.py, `web.fallback_urls`): Wagtail serves
the public sites' pages, each host its own Site and page tree."""

from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [
    path("", include(wagtail_urls)),
]
