"""Pages of HokweNews for the tests: the hokwe.co news index and posts (Wagtail pages)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from wagtail.models import Locale, Site
from wagtail.rich_text import RichText

from apps.cms.models import NewsIndexPage, NewsPage


def hokwe_co_home():
    return Site.objects.get(hostname=settings.CMS_SITE_HOSTS["hokwe-co"]).root_page


def news_index(home=None) -> NewsIndexPage:
    home = home or hokwe_co_home()
    existing = NewsIndexPage.objects.child_of(home).first()
    if existing is not None:
        return existing
    index = NewsIndexPage(title="Actualités", slug="actualites", intro="Les nouvelles de Hokwe.")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def post(index=None, *, publish=True, body_html="<p>Le corps du billet.</p>", **fields) -> NewsPage:
    index = index or news_index()
    n = NewsPage.objects.count() + 1
    values = {
        "title": f"Billet {n}",
        "slug": f"billet-{n}",
        "intro": f"Introduction du billet {n}.",
        "date": date(2026, 12, 1),
    }
    values.update(fields)
    page = NewsPage(body=[("paragraph", RichText(body_html))], live=False, **values)
    index.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def translate(page: NewsPage, **fields) -> NewsPage:
    """The English version of a post (its index translated first when needed)."""
    english = Locale.objects.get(language_code="en")
    parent = page.get_parent().specific
    if not parent.has_translation(english):
        parent_en = parent.copy_for_translation(english, copy_parents=True)
        parent_en.slug = "news"
        parent_en.save()
        parent_en.save_revision().publish()
    copy = page.copy_for_translation(english)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy
