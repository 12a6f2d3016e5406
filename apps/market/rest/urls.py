"""Mounted under /api/v1/ (hokwe/urls.py discovers it): one urls module per part, paths
start with `market/`."""

from . import urls_applications, urls_listings, urls_search, urls_services, urls_visits

urlpatterns = [
    *urls_listings.urlpatterns,
    *urls_search.urlpatterns,
    *urls_visits.urlpatterns,
    *urls_applications.urlpatterns,
    *urls_services.urlpatterns,
]
