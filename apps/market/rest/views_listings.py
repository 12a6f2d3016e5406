"""REST of market's listings for the offerer (under /api/v1/market/listings…): the listings of
the organizations the caller manages and their own (cursor pages), the vacant units they may
publish, publishing one in one click, creating a draft (an independent owner after KYC),
editing (the price history is kept), submitting, withdrawing and adding photos. Thin: parse,
call services/listings.py, render. Another organization's listing is a 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import NotFound
from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent
from apps.estate import api as estate
from apps.identity import api as identity

from .. import selectors
from ..services import listings as svc
from . import serializers_listings as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _detail(listing, code=status.HTTP_200_OK):
    return Response(s.MarketListingDetailOut(svc.listing_view(listing, detail=True)).data, status=code)


def _organization_id(public_id) -> int | None:
    """The internal id of an organization the caller manages (NotFound otherwise)."""
    if public_id is None:
        return None
    try:
        return identity.get_organization(public_id).id
    except NotFound:
        raise NotFound() from None


class ListingPagination(CursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema(tags=["market"])
class ListingListView(generics.ListAPIView):
    """GET: the listings of the organizations you manage and your own, newest first (cursor
    pages). POST: a draft listing of one of your organizations (`organization`), or your own as
    an independent owner (no `organization`: an identity verified in the Hokwe app first). The
    refusal rules apply at once (impossible price, GPS outside the country)."""

    serializer_class = s.MarketListingOut
    pagination_class = ListingPagination

    def get_queryset(self):
        return selectors.listings_of(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        orgs = svc.organization_public_ids(page)
        return self.get_paginated_response(
            [s.MarketListingOut(svc.listing_view(row, org_ids=orgs)).data for row in page]
        )

    @extend_schema(request=s.MarketListingCreateIn, responses={201: s.MarketListingDetailOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = dict(_parse(s.MarketListingCreateIn, request.data))
        organization = data.pop("organization", None)
        listing = svc.create(actor=request.user, organization_id=_organization_id(organization), **data)
        return _detail(listing, status.HTTP_201_CREATED)


@extend_schema(tags=["market"], responses=s.MarketVacantUnitOut(many=True))
class VacantUnitListView(APIView):
    """The vacant units of the organizations you manage (each can be published in one click)."""

    def get(self, request, **kwargs):
        units = estate.vacant_units(svc.managed_org_ids(request.user))
        return Response([s.MarketVacantUnitOut(u).data for u in units])


@extend_schema(tags=["market"], request=s.MarketListingFromUnitIn, responses={201: s.MarketListingDetailOut})
class ListingFromUnitView(APIView):
    """Publish a vacant unit under management in one click: its kind, rooms, real rent, charges,
    deposit and advance months, place and GPS, photos come from estate; « verified by Hokwe »
    when your organization is verified. Published at once unless a rule flags it (then
    `in_review`, with its `flags`)."""

    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.MarketListingFromUnitIn, request.data)
        listing = svc.create_from_unit(
            actor=request.user,
            unit_id=data["unit"],
            purpose=data.get("purpose") or "rent",
            overrides=dict(data.get("overrides") or {}),
        )
        return _detail(listing, status.HTTP_201_CREATED)


@extend_schema(tags=["market"])
class ListingDetailView(APIView):
    """GET: one of your listings with its photos and price history. PATCH: change its fields
    (a unit under management keeps estate's place and currency); a new price joins the price
    history; a published listing whose new text raises a flag goes back to review."""

    @extend_schema(responses=s.MarketListingDetailOut)
    def get(self, request, listing_id, **kwargs):
        return _detail(svc.manageable_listing(request.user, listing_id))

    @extend_schema(request=s.MarketListingUpdateIn, responses=s.MarketListingDetailOut)
    def patch(self, request, listing_id, **kwargs):
        listing = svc.manageable_listing(request.user, listing_id)
        data = _parse(s.MarketListingUpdateIn, request.data)
        return _detail(svc.update(actor=request.user, listing=listing, **data))


@extend_schema(tags=["market"], request=None, responses=s.MarketListingDetailOut)
class ListingSubmitView(APIView):
    """Put a draft online: published when the rules raise no flag, else in review by Hokwe's staff."""

    def post(self, request, listing_id, **kwargs):
        listing = svc.manageable_listing(request.user, listing_id)
        return _detail(svc.submit(actor=request.user, listing=listing))


@extend_schema(tags=["market"], request=None, responses=s.MarketListingDetailOut)
class ListingWithdrawView(APIView):
    """Take the listing offline for good (the unit may be published again)."""

    def post(self, request, listing_id, **kwargs):
        listing = svc.manageable_listing(request.user, listing_id)
        return _detail(svc.withdraw(actor=request.user, listing=listing))


@extend_schema(
    tags=["market"],
    request={"multipart/form-data": s.MarketListingPhotoIn},
    responses={201: s.MarketListingDetailOut},
)
class ListingPhotoView(APIView):
    """Add a photo (multipart `photo`): checked, resized to 320/800/1600 px, EXIF (GPS included)
    removed from every copy and from the original."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @idempotent()
    def post(self, request, listing_id, **kwargs):
        listing = svc.manageable_listing(request.user, listing_id)
        data = _parse(s.MarketListingPhotoIn, request.data)
        svc.add_photo(
            actor=request.user, listing=listing, upload=data["photo"], caption=data.get("caption") or ""
        )
        listing.refresh_from_db()
        return _detail(listing, status.HTTP_201_CREATED)
