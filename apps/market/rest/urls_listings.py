"""REST routes of market's listings part (under /api/v1/market/…): the offerer's listings."""

from django.urls import path

from . import views_listings as v

urlpatterns: list = [
    path("market/listings", v.ListingListView.as_view(), name="market-listings"),
    path("market/listings/vacant-units", v.VacantUnitListView.as_view(), name="market-vacant-units"),
    path("market/listings/from-unit", v.ListingFromUnitView.as_view(), name="market-listing-from-unit"),
    path("market/listings/<uuid:listing_id>", v.ListingDetailView.as_view(), name="market-listing"),
    path(
        "market/listings/<uuid:listing_id>/submit",
        v.ListingSubmitView.as_view(),
        name="market-listing-submit",
    ),
    path(
        "market/listings/<uuid:listing_id>/withdraw",
        v.ListingWithdrawView.as_view(),
        name="market-listing-withdraw",
    ),
    path(
        "market/listings/<uuid:listing_id>/photos", v.ListingPhotoView.as_view(), name="market-listing-photos"
    ),
]
