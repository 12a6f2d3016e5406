"""Mounted under /api/v1/ (hokwe/urls.py discovers it): one urls module per part, paths
start with `cms/`."""

from . import urls_help, urls_news, urls_sites, urls_vault

urlpatterns = [
    *urls_sites.urlpatterns,
    *urls_help.urlpatterns,
    *urls_news.urlpatterns,
    *urls_vault.urlpatterns,
]
