"""Mounted under /api/v1/ (hokwe/urls.py discovers it): one urls module per part."""

from . import urls_advance, urls_fund, urls_loans

urlpatterns = [
    *urls_loans.urlpatterns,
    *urls_fund.urlpatterns,
    *urls_advance.urlpatterns,
]
