"""REST routes of market's search part (under /api/v1/market/…)."""

from django.urls import path

from . import views_search as v

urlpatterns: list = [
    path("market/search", v.SearchView.as_view(), name="market-search"),
    path("market/search/facets", v.SearchFacetsView.as_view(), name="market-search-facets"),
    path("market/saved-searches", v.SavedSearchListView.as_view(), name="market-saved-searches"),
    path(
        "market/saved-searches/<uuid:saved_id>", v.SavedSearchDetailView.as_view(), name="market-saved-search"
    ),
    path("market/favourites", v.FavouriteListView.as_view(), name="market-favourites"),
    path("market/favourites/<uuid:listing_id>", v.FavouriteView.as_view(), name="market-favourite"),
    path("market/recently-viewed", v.RecentViewListView.as_view(), name="market-recently-viewed"),
]
