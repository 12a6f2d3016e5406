"""REST routes of market's services part (under /api/v1/market/…)."""

from django.urls import path

from . import views_services as v

urlpatterns: list = [
    path("market/providers", v.ProviderListView.as_view(), name="market-providers"),
    path("market/providers/me", v.MyProviderView.as_view(), name="market-provider-me"),
    path("market/providers/me/photos", v.MyProviderPhotoView.as_view(), name="market-provider-photos"),
    path("market/providers/<uuid:provider_id>", v.ProviderDetailView.as_view(), name="market-provider"),
    path("market/quote-requests", v.QuoteRequestListView.as_view(), name="market-quote-requests"),
    path(
        "market/quote-requests/matching",
        v.MatchingRequestListView.as_view(),
        name="market-quote-requests-matching",
    ),
    path(
        "market/quote-requests/<uuid:request_id>",
        v.QuoteRequestDetailView.as_view(),
        name="market-quote-request",
    ),
    path(
        "market/quote-requests/<uuid:request_id>/cancel",
        v.QuoteRequestCancelView.as_view(),
        name="market-quote-request-cancel",
    ),
    path(
        "market/quote-requests/<uuid:request_id>/quotes", v.QuoteSendView.as_view(), name="market-quote-send"
    ),
    path("market/quotes", v.QuoteListView.as_view(), name="market-quotes"),
    path("market/quotes/<uuid:quote_id>", v.QuoteDetailView.as_view(), name="market-quote"),
    path(
        "market/quotes/<uuid:quote_id>/withdraw", v.QuoteWithdrawView.as_view(), name="market-quote-withdraw"
    ),
    path("market/quotes/<uuid:quote_id>/accept", v.QuoteAcceptView.as_view(), name="market-quote-accept"),
    path("market/quotes/<uuid:quote_id>/pay", v.QuotePayView.as_view(), name="market-quote-pay"),
    path("market/quotes/<uuid:quote_id>/done", v.QuoteJobDoneView.as_view(), name="market-quote-done"),
    path(
        "market/quotes/<uuid:quote_id>/confirm", v.QuoteJobConfirmView.as_view(), name="market-quote-confirm"
    ),
    path("market/quotes/<uuid:quote_id>/review", v.QuoteReviewView.as_view(), name="market-quote-review"),
]
