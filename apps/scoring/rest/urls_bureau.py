"""REST routes of scoring's bureau part (under /api/v1/scoring/…)."""

from django.urls import path

from . import views_bureau as v

urlpatterns: list = [
    path("scoring/me/bureau-consent", v.BureauConsentView.as_view(), name="scoring-me-bureau-consent"),
    path(
        "scoring/me/bureau-consent/give",
        v.BureauConsentGiveView.as_view(),
        name="scoring-me-bureau-consent-give",
    ),
    path(
        "scoring/me/bureau-consent/withdraw",
        v.BureauConsentWithdrawView.as_view(),
        name="scoring-me-bureau-consent-withdraw",
    ),
]
