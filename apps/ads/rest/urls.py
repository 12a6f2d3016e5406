"""Mounted under /api/v1/ (hokwe/urls.py discovers it): one urls module per part, paths
start with `ads/`."""

from . import urls_advertising, urls_creators, urls_social

urlpatterns = [
    *urls_advertising.urlpatterns,
    *urls_social.urlpatterns,
    *urls_creators.urlpatterns,
]
