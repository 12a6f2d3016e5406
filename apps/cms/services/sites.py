"""Cms sites: what the public sites' pages read besides their own fields (owned by the sites
part): billing's plans (registered upward, cms.api.register_pricing_source), the hreflang
alternates and OpenGraph tags of a page, the navigation of its site."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

# Registered by higher modules in their AppConfig.ready (cms.api): cms never imports them.
_pricing_sources: list[Callable[[], Iterable]] = []
_page_extras: list[str] = []


def register_page_extra(template: str) -> None:
    if template not in _page_extras:
        _page_extras.append(template)


def page_extras() -> list[str]:
    """The templates other modules put at the end of every site page (ads' banner slot)."""
    return list(_page_extras)


def register_pricing_source(source: Callable[[], Iterable]) -> None:
    if source not in _pricing_sources:
        _pricing_sources.append(source)


def pricing_plans(*, fallback: Iterable) -> list[dict]:
    """The plans to show: the registered catalog's (billing) when it has any, else the plans
    written in the page. Each: name, price (already formatted), points."""
    for source in _pricing_sources:
        try:
            plans = [
                {"name": plan.name, "price": plan.price, "points": list(plan.points)} for plan in source()
            ]
        except Exception:  # a catalog that fails never takes the page down
            logger.exception("cms pricing source failed")
            continue
        if plans:
            return plans
    return list(fallback)


def site_home(page):
    """The home page of the site `page` belongs to (itself for a home page and the hub)."""
    if page.is_home:
        return page
    for ancestor in page.get_ancestors().specific().reverse():
        if getattr(ancestor, "is_home", False):
            return ancestor
    return page


def page_context(page, request) -> dict:
    home = site_home(page)
    alternates = []
    for translation in page.get_translations(inclusive=True).live().select_related("locale").specific():
        url = translation.get_full_url(request=request)
        if url:
            alternates.append({"lang": translation.locale.language_code, "url": url})
    alternates.sort(key=lambda a: a["lang"] != "fr")
    homes = []
    if page.depth == 2:  # the hub: the three sites, each with its host
        for home in page.get_children().live().specific():
            home.host = settings.CMS_SITE_HOSTS.get(home.slug, "")
            homes.append(home)
    nav = list(home.get_children().live().in_menu().specific()) if home.depth > 1 else []
    return {
        "site_home": home,
        "nav_pages": nav,
        "alternates": alternates,
        "canonical_url": page.get_full_url(request=request),
        "language": page.locale.language_code,
        "og_title": page.seo_title or page.title,
        "og_description": page.search_description,
        "homes": homes,
        "site_extras": page_extras(),
    }


# --- the page cache ---------------------------------------------------------------------------
# Anonymous GETs of the sites' pages are served from the cache framework (web/sites.py). Any
# publication, unpublication, move or deletion of a page bumps the generation: every cached
# page is then stale at once (the sites are small; the next request of each page renders it).
_GENERATION_KEY = "cms:sites:generation"


def page_cache_key(host: str, language: str, path: str) -> str:
    """The release is part of the key: a deploy may route a cached path elsewhere."""
    generation = cache.get_or_set(_GENERATION_KEY, 1, timeout=None)
    return f"cms:sites:page:{settings.HOKWE_VERSION}:{generation}:{language}:{host.lower()}:{path}"


def page_cache_clear(**_kwargs) -> None:
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 2, timeout=None)


def connect_page_cache() -> None:
    """Called from CmsConfig.ready: Wagtail's page signals bump the generation."""
    from django.db.models.signals import post_delete
    from wagtail.models import Page, Site
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(page_cache_clear, dispatch_uid=f"cms-sites-cache-{id(signal)}")
    post_delete.connect(page_cache_clear, sender=Page, dispatch_uid="cms-sites-cache-page-delete")
    for action in ("post_save", "post_delete"):
        from django.db.models import signals

        getattr(signals, action).connect(
            page_cache_clear, sender=Site, dispatch_uid=f"cms-sites-cache-site-{action}"
        )


# --- « find my pay link » ---------------------------------------------------------------------
# The tenants' pay links are owned by a higher module (estate: leases and their dues): it
# registers a finder here (cms.api.register_pay_link_finder) from its AppConfig.ready. The page
# (web/paylink.py) never shows what was found: the links go by SMS to the number itself.
_pay_link_finders: list[Callable[[str], Iterable[str]]] = []

PAY_LINKS_SMS = "cms.pay_links"
MAX_LINKS = 3


def register_pay_link_finder(finder: Callable[[str], Iterable[str]]) -> None:
    if finder not in _pay_link_finders:
        _pay_link_finders.append(finder)


def pay_links_send(*, phone: str) -> int:
    """Send the open pay links of the tenant whose phone is `phone` (E.164) to that phone, by
    SMS; returns how many links were sent (the page never tells)."""
    from apps.notifications import api as notifications

    links: list[str] = []
    for finder in _pay_link_finders:
        try:
            links.extend(str(link) for link in finder(phone))
        except Exception:
            logger.exception("cms pay link finder failed")
    links = list(dict.fromkeys(links))[:MAX_LINKS]
    if not links:
        return 0
    notifications.send(phone, PAY_LINKS_SMS, {"links": " ".join(links)}, channels=["sms"])
    return len(links)
