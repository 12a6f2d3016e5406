"""The URL map (docs/architecture.md §1).

Each module's REST routes (apps/<m>/rest/urls.py) mount under /api/v1/, its manager pages
(apps/<m>/web/urls.py) under /manager/<m>/ and its public pages (apps/<m>/web/public_urls.py)
at the site root, and catch-alls (apps/<m>/web/fallback_urls.py: cms's Wagtail pages) after
everything else, all discovered from settings.HOKWE_APPS.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from apps.core.discovery import apps_with
from apps.core.web import errors, health, manager, metrics
from hokwe.graphql_view import HokweGraphQLView


def _discover(module_suffix: str) -> list[tuple[str, str]]:
    return [(app.rsplit(".", 1)[1], f"{app}.{module_suffix}") for app in apps_with(module_suffix)]


api_v1 = [path("", include(module)) for _label, module in _discover("rest.urls")]
manager_pages = [path(f"{label}/", include(module)) for label, module in _discover("web.urls")]
public_pages = [path("", include(module)) for _label, module in _discover("web.public_urls")]
# Catch-alls (cms: Wagtail's page serving) go after every other route.
fallback_pages = [path("", include(module)) for _label, module in _discover("web.fallback_urls")]

urlpatterns = [
    # "/" is the default Wagtail Site's hub page (cms, web.fallback_urls): links to the manager's
    # login and the three public sites; on their own hosts each site's home is at "/".
    # Browsers ask for /favicon.ico on their own (PDFs, JSON, before a page's <link rel=icon>).
    path("favicon.ico", health.favicon),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    # The split view serves its init script as a file: the CSP allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    re_path(r"^api/(?P<version>v1)/", include(api_v1)),
    re_path(r"^api/", errors.not_found),  # JSON 404 for unknown API routes, even in DEBUG
    path("graphql", csrf_exempt(HokweGraphQLView.as_view(graphiql=settings.DEBUG)), name="graphql"),
    path("manager/", include((manager.urlpatterns + manager_pages, "manager"), namespace="manager")),
    *public_pages,
    *fallback_pages,
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.not_found
handler500 = errors.server_error

admin.site.site_header = "Hokwe — back-office"
admin.site.site_title = "Hokwe"
admin.site.index_title = "Back-office"
