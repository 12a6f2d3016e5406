"""Mounted under /api/v1/ (hokwe/urls.py discovers it): one urls module per part."""

from . import urls_safeguarding, urls_split, urls_tontine, urls_wallet

urlpatterns = [
    *urls_wallet.urlpatterns,
    *urls_tontine.urlpatterns,
    *urls_split.urlpatterns,
    *urls_safeguarding.urlpatterns,
]
