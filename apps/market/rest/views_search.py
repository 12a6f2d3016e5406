"""REST of market's search part (under /api/v1/market/…): the search and its facets (anyone,
read-only, rate-limited per IP by the `market.search` scope on top of the anonymous limit),
and the signed-in seeker's saved searches, favourites and recently viewed listings. Thin:
clean_query, call services/search.py or saved.py, render. A seeker only sees their own."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import pgettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.rest import idempotent
from apps.core.throttling import AnonThrottle, ScopedThrottle, UserThrottle

from ..services import saved as saved_service
from ..services import search as search_service
from ..services import sponsored as sponsored_service
from . import serializers_search as s

SPONSORED_LABEL = pgettext_lazy("a listing in search results", "Sponsored")


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _hit(listing) -> dict:
    return asdict(saved_service.listing_hit(listing))


def _saved_out(saved) -> dict:
    return s.MarketSavedSearchOut(saved).data


def _counts(mapping: dict) -> list[dict]:
    return [
        {"value": str(k).lower() if isinstance(k, bool) else str(k), "count": v} for k, v in mapping.items()
    ]


class _PublicSearch(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonThrottle, UserThrottle, ScopedThrottle]
    throttle_scope = "market.search"


@extend_schema(tags=["market"], parameters=[s.MarketSearchParams], responses=s.MarketSearchPageOut)
class SearchView(_PublicSearch):
    """Listings online (published or reserved) matching the criteria: words (typos
    forgiven), filters, a radius around a point or the map's bounds; sorted and paged by a
    cursor (`after` = the page before's `next_cursor`). Anyone may search."""

    def get(self, request, **kwargs):
        query = search_service.clean_query(request.query_params)
        page = search_service.search(query)
        sponsored = sponsored_service.sponsored(query, request=request)
        return Response(
            {
                "results": [asdict(hit) for hit in page.hits],
                "sponsored": [
                    {
                        **asdict(item.hit),
                        "label": str(SPONSORED_LABEL),
                        "impression_url": item.impression_url,
                        "click_url": item.click_url,
                    }
                    for item in sponsored
                ],
                "next_cursor": page.next_cursor,
                "total": page.total,
            }
        )


@extend_schema(tags=["market"], parameters=[s.MarketSearchParams], responses=s.MarketFacetsOut)
class SearchFacetsView(_PublicSearch):
    """Counts per kind, city, neighbourhood, rooms, furnished, amenity and price band of the
    matches, each facet counted without its own filter, and the matches of every criterion
    (`total`: the count a search's pages leave out when it would cost a second read)."""

    def get(self, request, **kwargs):
        facets = search_service.facets(search_service.clean_query(request.query_params))
        counts = {
            name: _counts(values) for name, values in asdict(facets).items() if name not in ("exact", "total")
        }
        return Response({**counts, "total": facets.total, "exact": facets.exact})


@extend_schema(tags=["market"])
class SavedSearchListView(APIView):
    """GET: your saved searches. POST: save a search (its criteria are checked like a
    search's); a daily alert lists the new matches (SMS, e-mail or push)."""

    @extend_schema(responses=s.MarketSavedSearchOut(many=True))
    def get(self, request, **kwargs):
        return Response([_saved_out(x) for x in saved_service.saved_searches(request.user)[:50]])

    @extend_schema(request=s.MarketSavedSearchIn, responses={201: s.MarketSavedSearchOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.MarketSavedSearchIn, request.data)
        query = search_service.clean_query(data["query"])
        created = saved_service.save_search(
            user=request.user, name=data["name"], query=query, channel=data["channel"]
        )
        return Response(_saved_out(created), status=status.HTTP_201_CREATED)


@extend_schema(tags=["market"])
class SavedSearchDetailView(APIView):
    """PATCH: alerts on or off (and their channel). DELETE: forget this saved search."""

    @extend_schema(request=s.MarketSavedSearchPatch, responses=s.MarketSavedSearchOut)
    def patch(self, request, saved_id, **kwargs):
        data = _parse(s.MarketSavedSearchPatch, request.data)
        changed = saved_service.set_alerts(
            user=request.user, saved_id=saved_id, active=data["active"], channel=data.get("channel")
        )
        return Response(_saved_out(changed))

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, saved_id, **kwargs):
        saved_service.delete_saved(user=request.user, saved_id=saved_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["market"], responses=s.MarketListingHitOut(many=True))
class FavouriteListView(APIView):
    """Your favourite listings, last added first (a listing no longer online says so by its
    status)."""

    def get(self, request, **kwargs):
        return Response([_hit(listing) for listing in saved_service.favourites(request.user)])


@extend_schema(tags=["market"])
class FavouriteView(APIView):
    """PUT: add this listing (online) to your favourites (twice is once). DELETE: remove it
    (404 when it is not one of your favourites)."""

    @extend_schema(request=None, responses=s.MarketListingHitOut)
    def put(self, request, listing_id, **kwargs):
        favourite = saved_service.favourite_add(user=request.user, listing=listing_id)
        return Response(_hit(favourite.listing))

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, listing_id, **kwargs):
        saved_service.favourite_remove(user=request.user, listing=listing_id, missing_ok=False)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["market"])
class RecentViewListView(APIView):
    """GET: the listings you looked at last (20). POST: note that you looked at one."""

    @extend_schema(responses=s.MarketListingHitOut(many=True))
    def get(self, request, **kwargs):
        return Response([_hit(listing) for listing in saved_service.recent_views(request.user, limit=20)])

    @extend_schema(request=s.MarketListingRefIn, responses={204: None})
    def post(self, request, **kwargs):
        data = _parse(s.MarketListingRefIn, request.data)
        listing = saved_service.visible_listing(data["listing"])
        saved_service.record_view(user=request.user, listing=listing)
        return Response(status=status.HTTP_204_NO_CONTENT)
