"""Mounted after every module's routes (hokwe/urls.py, `web.fallback_urls`): Wagtail serves
the public sites' pages, each host its own Site and page tree (owned by the sites part).
French pages at their path, their English translations under /en/ (web/sites.py): Wagtail's
i18n_patterns would make every other page of the platform French on an unprefixed path."""

from django.urls import path, re_path
from wagtail import urls as wagtail_urls

from . import sites

urlpatterns = [
    path("robots.txt", sites.robots, name="cms-sites-robots"),
    path("sitemap.xml", sites.sitemap, name="cms-sites-sitemap"),
    # Wagtail's private-page helpers (password, login), as wagtail.urls has them
    *[pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"],
    re_path(r"^en/((?:[\w\-]+/)*)$", sites.serve_in("en"), name="cms-sites-serve-en"),
    re_path(r"^((?:[\w\-]+/)*)$", sites.serve_in("fr"), name="wagtail_serve"),
]
