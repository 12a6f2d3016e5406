"""REST of market's local services (under /api/v1/market/…): the providers' directory and
profiles (public), a provider's sign-up and own profile, quote requests (seekers and agency
members, an estate maintenance ticket), the matching requests a provider may quote, quotes,
acceptance, payment through payments, job done and reviews. Thin: parse, call
services/providers.py and services/quotes.py, render. A provider sees only the requests that
match its trades and zones or are sent to it; another's request or quote is a 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent

from ..errors import ProviderNotFound
from ..models import Quote, QuoteRequest
from ..services import providers, quotes
from . import serializers_services as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-id")


def _reviews(provider):
    return [
        {
            "rating": r.rating,
            "comment": r.comment,
            "author": (r.author.full_name or "").split(" ")[0],
            "created_at": r.created_at,
        }
        for r in providers.reviews_of(provider)
    ]


# --- providers ---


@extend_schema(tags=["market"], parameters=[s.MarketProviderQuery], responses=s.MarketProviderOut(many=True))
class ProviderListView(APIView):
    """GET (public): the active providers of a trade working in a city (and neighbourhood),
    best rated first. POST: become a provider (active once your KYC allows it)."""

    permission_classes = [AllowAny]

    def get(self, request, **kwargs):
        q = _parse(s.MarketProviderQuery, request.query_params)
        rows = providers.providers_for(q["trade"], q["city"], q["neighbourhood"])
        return Response([s.MarketProviderOut(providers.profile(p)).data for p in rows])

    @extend_schema(request=s.MarketProviderIn, responses={201: s.MarketProviderOut})
    @idempotent()
    def post(self, request, **kwargs):
        if not request.user.is_authenticated:
            from rest_framework.exceptions import NotAuthenticated

            raise NotAuthenticated()
        data = _parse(s.MarketProviderIn, request.data)
        provider = providers.provider_signup(
            user=request.user,
            name=data["name"],
            phone=data["phone"],
            bio=data["bio"],
            country=data["country"],
            trades=data["trades"],
            zones=data["zones"],
        )
        return Response(s.MarketProviderOut(providers.profile(provider)).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["market"], responses=s.MarketProviderOut)
class MyProviderView(APIView):
    """GET: your provider profile (404 without one). PUT: change it."""

    def get(self, request, **kwargs):
        provider = providers.provider_of(request.user)
        if provider is None:
            raise ProviderNotFound()
        providers.refresh_status(provider)
        return Response(s.MarketProviderOut(providers.profile(provider)).data)

    @extend_schema(request=s.MarketProviderIn, responses=s.MarketProviderOut)
    def put(self, request, **kwargs):
        data = _parse(s.MarketProviderIn, request.data)
        provider = providers.provider_update(
            actor=request.user,
            name=data["name"],
            phone=data["phone"],
            bio=data["bio"],
            country=data["country"],
            trades=data["trades"],
            zones=data["zones"],
        )
        return Response(s.MarketProviderOut(providers.profile(provider)).data)


@extend_schema(
    tags=["market"],
    request={"multipart/form-data": s.MarketProviderPhotoIn},
    responses={201: s.MarketProviderOut},
)
class MyProviderPhotoView(APIView):
    """Add a photo of your work (multipart `photo`): checked, resized, EXIF (GPS included)
    removed."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.MarketProviderPhotoIn, request.data)
        providers.photo_add(actor=request.user, upload=data["photo"], caption=data["caption"])
        provider = providers.provider_of(request.user)
        return Response(s.MarketProviderOut(providers.profile(provider)).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["market"], responses=s.MarketProviderDetailOut)
class ProviderDetailView(APIView):
    """An active provider's public profile with its reviews."""

    permission_classes = [AllowAny]

    def get(self, request, provider_id, **kwargs):
        provider = providers.active_provider(provider_id)
        return Response(
            s.MarketProviderDetailOut({**providers.profile(provider), "reviews": _reviews(provider)}).data
        )


# --- quote requests ---


@extend_schema(tags=["market"])
class QuoteRequestListView(generics.ListAPIView):
    """GET: your quote requests, newest first. POST: ask for quotes (open to every matching
    provider, or to one; an agency member may send one of its maintenance tickets)."""

    serializer_class = s.MarketQuoteRequestOut
    pagination_class = NewestFirst

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return QuoteRequest.objects.none()
        return quotes.requests_of(self.request.user)

    @extend_schema(request=s.MarketQuoteRequestIn, responses={201: s.MarketQuoteRequestOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.MarketQuoteRequestIn, request.data)
        req = quotes.request_create(actor=request.user, **data)
        return Response(s.MarketQuoteRequestOut(req).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["market"])
class MatchingRequestListView(generics.ListAPIView):
    """The open requests your (active) provider profile may quote: sent to you, or open to
    all in your trades and zones."""

    serializer_class = s.MarketQuoteRequestOut
    pagination_class = NewestFirst

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return QuoteRequest.objects.none()
        return quotes.requests_for_provider(self.request.user)


@extend_schema(tags=["market"], responses=s.MarketQuoteRequestDetailOut)
class QuoteRequestDetailView(APIView):
    """Your quote request with its quotes (cheapest first); for a provider, a request it may
    quote, with its own quote only."""

    def get(self, request, request_id, **kwargs):
        try:
            req = quotes.request_of(request.user, request_id)
            rows = list(quotes.quotes_for_request(request.user, req))
        except quotes.QuoteRequestNotFound:
            req = quotes.request_for_provider(request.user, request_id)
            own = quotes.own_quote(request.user, req)
            rows = [own] if own else []
        req.quote_rows = rows
        return Response(s.MarketQuoteRequestDetailOut(req).data)


@extend_schema(tags=["market"], request=None, responses=s.MarketQuoteRequestOut)
class QuoteRequestCancelView(APIView):
    """Cancel your open request (its quotes are declined)."""

    def post(self, request, request_id, **kwargs):
        req = quotes.request_cancel(actor=request.user, request=quotes.request_of(request.user, request_id))
        return Response(s.MarketQuoteRequestOut(req).data)


@extend_schema(tags=["market"], request=s.MarketQuoteIn, responses={201: s.MarketQuoteOut})
class QuoteSendView(APIView):
    """Quote a request you may see (once while your quote is live); amount in minor units."""

    @idempotent()
    def post(self, request, request_id, **kwargs):
        data = _parse(s.MarketQuoteIn, request.data)
        quote = quotes.quote_send(actor=request.user, request=request_id, **data)
        return Response(s.MarketQuoteOut(quote).data, status=status.HTTP_201_CREATED)


# --- quotes ---


@extend_schema(tags=["market"])
class QuoteListView(generics.ListAPIView):
    """Your provider profile's quotes (your jobs), newest first."""

    serializer_class = s.MarketQuoteOut
    pagination_class = NewestFirst

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Quote.objects.none()
        return quotes.quotes_of_provider(self.request.user).select_related("provider")


@extend_schema(tags=["market"], responses=s.MarketQuoteOut)
class QuoteDetailView(APIView):
    """A quote you sent or received."""

    def get(self, request, quote_id, **kwargs):
        return Response(s.MarketQuoteOut(quotes.quote_for(request.user, quote_id)).data)


def _action(name, doc, *, body=None):
    service = getattr(quotes, name)

    @extend_schema(tags=["market"], request=body, responses=s.MarketQuoteOut)
    class View(APIView):
        def post(self, request, quote_id, **kwargs):
            data = _parse(body, request.data) if body else {}
            service(actor=request.user, quote=quote_id, **data)
            return Response(s.MarketQuoteOut(quotes.quote_for(request.user, quote_id)).data)

    View.__doc__ = doc
    View.__name__ = View.__qualname__ = "Quote" + name.title().replace("_", "") + "View"
    return View


QuoteWithdrawView = _action("quote_withdraw", "Withdraw your quote (while it is sent).")
QuoteAcceptView = _action("quote_accept", "Accept this quote on your request: the other quotes are declined.")
QuoteJobDoneView = _action("job_done", "The provider says the paid job is done.")
QuoteJobConfirmView = _action("job_confirm", "The requester confirms the job done: completed.")


@extend_schema(tags=["market"], request=s.MarketReviewIn, responses=s.MarketQuoteOut)
class QuoteReviewView(APIView):
    """Rate the completed job (its requester, once, 1 to 5)."""

    def post(self, request, quote_id, **kwargs):
        data = _parse(s.MarketReviewIn, request.data)
        quotes.review(actor=request.user, quote=quote_id, rating=data["rating"], comment=data["comment"])
        return Response(s.MarketQuoteOut(quotes.quote_for(request.user, quote_id)).data)


@extend_schema(tags=["market"], request=None, responses=s.MarketQuotePaymentOut)
class QuotePayView(APIView):
    """Pay the accepted quote: a payment link (one per quote) paid to the provider's Hokwe
    wallet; open `pay_url` to pay by mobile money."""

    @idempotent()
    def post(self, request, quote_id, **kwargs):
        intent = quotes.quote_pay(actor=request.user, quote=quote_id)
        return Response(s.MarketQuotePaymentOut(intent).data)
