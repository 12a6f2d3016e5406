"""REST of ads' social part (under /api/v1/ads/social/…): the advertiser's connected pages
(connect by OAuth: start -> the dialog URL, the callback's state and code -> the pages to
choose from, the choice -> the connection; disconnect), its posts and boosts with their
results (publish a listing, boost a post, retry a post the network did not receive).
Thin: parse, call services/social.py, render. Another advertiser's page or post is a 404.
Writes that call the network run outside any transaction (the service commits first)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.idempotency import HEADER, clean_key
from apps.core.pagination import CursorPagination
from apps.core.rest import idempotent, takes_idempotency_key

from ..models import SocialConnection, SocialPost
from ..services import social
from . import serializers_social as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _key(request) -> str | None:
    return clean_key(request.headers[HEADER]) if request.headers.get(HEADER) else None


def callback_uri(request) -> str:
    """The manager page the dialog comes back to (the same URI is sent again at the exchange)."""
    return request.build_absolute_uri(reverse("manager:ads-social-callback"))


class SocialPages(CursorPagination):
    ordering = ("-created_at", "-id")


class _List(generics.ListAPIView):
    pagination_class = SocialPages

    def _advertiser(self):
        q = _parse(s.AdsSocialListQuery, self.request.query_params)
        return social.advertiser_get(self.request.user, q["advertiser"]) if q.get("advertiser") else None


@extend_schema(tags=["ads"], parameters=[s.AdsSocialListQuery])
class ConnectionsView(_List):
    """GET: the pages connected by the advertisers you read (one advertiser with
    `?advertiser=`), newest first. POST: connect the page chosen after the callback."""

    serializer_class = s.AdsSocialConnectionOut

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SocialConnection.objects.none()
        return social.connections_visible_to(self.request.user, advertiser=self._advertiser())

    @extend_schema(request=s.AdsSocialChooseIn, responses={201: s.AdsSocialConnectionOut}, parameters=[])
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.AdsSocialChooseIn, request.data)
        row = social.connect_choose(
            actor=request.user,
            key=data["pending"],
            page_id=data["page_id"],
            ad_account_id=data["ad_account_id"],
        )
        return Response(s.AdsSocialConnectionOut(row).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["ads"], responses=s.AdsSocialConnectionOut)
class ConnectionView(APIView):
    """One connected page of an advertiser you read."""

    def get(self, request, connection_id, **kwargs):
        return Response(s.AdsSocialConnectionOut(social.connection_get(request.user, connection_id)).data)


@extend_schema(tags=["ads"], request=None, responses=s.AdsSocialConnectionOut)
class DisconnectView(APIView):
    """Hokwe forgets the page's access (its tokens are erased; the posts and results stay)."""

    def post(self, request, connection_id, **kwargs):
        row = social.connection_get(request.user, connection_id, manage=True)
        return Response(
            s.AdsSocialConnectionOut(social.connection_disconnect(actor=request.user, connection=row)).data
        )


@extend_schema(tags=["ads"], request=s.AdsSocialConnectIn, responses=s.AdsSocialConnectOut)
class ConnectStartView(APIView):
    """Start connecting a Facebook page: the dialog URL to open (its `state` is valid once,
    15 minutes, for you and this advertiser)."""

    def post(self, request, **kwargs):
        data = _parse(s.AdsSocialConnectIn, request.data)
        advertiser = social.advertiser_for(request.user, data.get("advertiser"), manage=True)
        url = social.connect_start(
            actor=request.user, advertiser=advertiser, redirect_uri=callback_uri(request)
        )
        return Response({"dialog_url": url})


@extend_schema(tags=["ads"], request=s.AdsSocialCallbackIn, responses=s.AdsSocialPendingOut)
class ConnectCallbackView(APIView):
    """The dialog's `state` and `code`: the pages (and ad accounts) to choose from, and the
    `pending` key to pass with the choice. A state is used once."""

    def post(self, request, **kwargs):
        data = _parse(s.AdsSocialCallbackIn, request.data)
        pending = social.connect_callback(actor=request.user, state=data["state"], code=data["code"])
        return Response(s.AdsSocialPendingOut(pending).data)


@extend_schema(tags=["ads"], parameters=[s.AdsSocialListQuery])
class PostsView(_List):
    """GET: the posts and boosts of the advertisers you read, with their imported results,
    newest first. POST: publish your published listing on the page (Facebook) or its
    Instagram account; 201 with the post (its status says whether the network took it);
    the same Idempotency-Key again returns the same post, published once."""

    serializer_class = s.AdsSocialPostOut

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SocialPost.objects.none()
        return social.posts_visible_to(self.request.user, advertiser=self._advertiser())

    @extend_schema(request=s.AdsSocialPublishIn, responses={201: s.AdsSocialPostOut}, parameters=[])
    @takes_idempotency_key
    def post(self, request, **kwargs):
        data = _parse(s.AdsSocialPublishIn, request.data)
        connection = social.connection_get(request.user, data["connection"], manage=True)
        post = social.post_publish(
            actor=request.user,
            connection=connection,
            listing=data["listing"],
            network=data["network"],
            message=data["message"],
            idempotency_key=_key(request),
        )
        return Response(s.AdsSocialPostOut(post).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["ads"], responses=s.AdsSocialPostOut)
class PostView(APIView):
    """One post or boost of an advertiser you read, with its results."""

    def get(self, request, post_id, **kwargs):
        return Response(s.AdsSocialPostOut(social.post_get(request.user, post_id)).data)


@extend_schema(tags=["ads"], request=s.AdsSocialBoostIn, responses={201: s.AdsSocialPostOut})
class BoostView(APIView):
    """Boost a published Facebook post: a housing ad on your own Meta ad account, the budget
    spent by Meta between the dates (Hokwe charges nothing). 201 with the boost; the same
    Idempotency-Key again returns the same boost."""

    @takes_idempotency_key
    def post(self, request, post_id, **kwargs):
        post = social.post_get(request.user, post_id, manage=True)
        data = _parse(s.AdsSocialBoostIn, request.data)
        boost = social.post_boost(actor=request.user, post=post, idempotency_key=_key(request), **data)
        return Response(s.AdsSocialPostOut(boost).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["ads"], request=None, responses=s.AdsSocialPostOut)
class RetryView(APIView):
    """Send again a post (or boost) the network did not receive (still pending)."""

    def post(self, request, post_id, **kwargs):
        post = social.post_get(request.user, post_id, manage=True)
        return Response(s.AdsSocialPostOut(social.post_retry(actor=request.user, post=post)).data)
