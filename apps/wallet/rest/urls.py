"""Mounted under /api/v1/ (hokwe/urls.py discovers it): one urls module per part."""

from . import urls_p2p, urls_safeguarding, urls_split, urls_tontine, urls_wallet

urlpatterns = [
    *urls_wallet.urlpatterns,
    *urls_p2p.urlpatterns,
    *urls_tontine.urlpatterns,
    *urls_split.urlpatterns,
    *urls_safeguarding.urlpatterns,
]
