"""Mounted under /api/v1/ (hokwe/urls.py discovers it): one urls module per part."""

from . import urls_bureau, urls_score, urls_screening, urls_valuation

urlpatterns = [
    *urls_score.urlpatterns,
    *urls_screening.urlpatterns,
    *urls_valuation.urlpatterns,
    *urls_bureau.urlpatterns,
]
