"""The public sites' serving (owned by the sites part): Wagtail's pages in French at their
path and in English under /en/, each host its own Site (Site.find_for_request), anonymous GETs
from the cache framework (a hit answered early, `cached_page`); robots.txt and sitemap.xml per
host."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page, Site

from ..models import sites as site_models
from ..services import sites as site_services


def register_page_context() -> None:
    """Called from CmsConfig.ready: the pages' templates read the services through these."""
    if site_services.page_context not in site_models.CONTEXT_PROVIDERS:
        site_models.CONTEXT_PROVIDERS.append(site_services.page_context)
    if site_services.pricing_plans not in site_models.PLANS_PROVIDERS:
        site_models.PLANS_PROVIDERS.append(site_services.pricing_plans)


def _cacheable(request) -> bool:
    return (
        settings.CMS_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.GET
        and not request.user.is_authenticated
    )


def _cached_response(key: str, language: str):
    hit = cache.get(key)
    if hit is None:
        return None
    body, content_type = hit
    response = HttpResponse(body, content_type=content_type)
    response.headers["Content-Language"] = language
    response.headers["X-Cms-Cache"] = "hit"
    return response


def cached_page(request):
    """An early responder (conf EARLY_RESPONDERS, apps.core.middleware.EarlyResponseMiddleware):
    a page the sites' view put in the cache, answered before the session, the user and the URL
    resolver (the sites' routes come after every module's: resolving them is a fifth of a
    hit). Only a plain anonymous GET: no query string, no session cookie, no Authorization
    header; anything else, and any miss, goes down the stack to `serve_in`. Only the view
    fills the cache, with the pages it served: a key here is a page of the sites. The
    answer has what the rest of the stack would add to it (Vary: Cookie, X-Frame-Options)."""
    if (
        settings.CMS_PAGE_CACHE_SECONDS <= 0
        or request.method != "GET"
        or request.META.get("QUERY_STRING")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
    ):
        return None
    path = request.path
    language = "en" if path.startswith("/en/") else "fr"
    response = _cached_response(site_services.page_cache_key(request.get_host(), language, path), language)
    if response is not None:
        response.headers["Vary"] = "Cookie"
        response.headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    return response


def serve_in(language: str):
    """Wagtail's serve with `language` active: its root is the Site's home in that language
    (Page.localized), so /en/… walks the English tree and the unprefixed paths the French one,
    whatever the visitor's cookie says."""

    def serve(request, path: str = ""):
        key = None
        if _cacheable(request):
            key = site_services.page_cache_key(request.get_host(), language, request.path)
            response = _cached_response(key, language)
            if response is not None:
                return response
        with translation.override(language):
            request.LANGUAGE_CODE = language
            site = Site.find_for_request(request)
            if site is None or site.root_page.localized.locale.language_code != language:
                raise Http404
            response = wagtail_views.serve(request, path)
            if hasattr(response, "render") and callable(response.render):
                response.render()
        response.headers["Content-Language"] = language
        page = (getattr(response, "context_data", None) or {}).get("page")
        if (
            key
            and response.status_code == 200
            and not response.cookies
            and page is not None
            and not page.get_view_restrictions().exists()
        ):
            cache.set(key, (response.content, response["Content-Type"]), settings.CMS_PAGE_CACHE_SECONDS)
        return response

    return serve


class SitesSitemap(WagtailSitemap):
    """The host's pages in French and their English translations, each with its hreflang
    alternates (SitePage.get_sitemap_urls)."""

    def items(self):
        french = self.get_wagtail_site().root_page.get_descendants(inclusive=True).live().public()
        return (
            Page.objects.filter(translation_key__in=french.values("translation_key"))
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )


@require_GET
def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": SitesSitemap})


@require_GET
def robots(request):
    """Per host: the host's sitemap, the private parts closed."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /cms/",
        "Disallow: /manager/",
        "Disallow: /api/",
        "Disallow: /graphql",
        "Allow: /",
        f"Sitemap: {request.scheme}://{request.get_host()}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
