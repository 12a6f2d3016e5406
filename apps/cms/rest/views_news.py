"""REST of cms's news part (under /api/v1/cms/news…): the live posts, newest first, a page at
a time (keyset cursor), and one post by its id. Anyone may read them (rate-limited per IP by
the `cms.news` scope). Thin: parse, call the selectors, render."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.throttling import AnonThrottle, ScopedThrottle, UserThrottle

from .. import selectors
from ..services.news import news_view
from . import serializers_news as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _language(request, params) -> str:
    language = params.get("language") or getattr(request, "LANGUAGE_CODE", "") or "fr"
    return language if language in selectors.NEWS_LANGUAGES else selectors.NEWS_DEFAULT_LANGUAGE


class _PublicNews(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonThrottle, UserThrottle, ScopedThrottle]
    throttle_scope = "cms.news"


@extend_schema(tags=["cms"])
class NewsListView(_PublicNews):
    """The live news posts, newest first, in the language asked (a post not translated into
    it comes in French), for an audience / country / city when given (the posts for
    everyone, every country and every city included); `after` = the page before's
    `next_cursor`."""

    @extend_schema(operation_id="cms_news_list", parameters=[s.CmsNewsParams], responses=s.CmsNewsPageOut)
    def get(self, request, **kwargs):
        params = _parse(s.CmsNewsParams, request.query_params.dict())
        posts, next_cursor = selectors.news_page(
            language=_language(request, params),
            audience=params.get("audience", ""),
            country=params.get("country", ""),
            city=params.get("city", ""),
            after=params.get("after"),
            limit=params.get("limit", 20),
        )
        return Response(
            {"results": [s.CmsNewsPostOut(news_view(p)).data for p in posts], "next_cursor": next_cursor}
        )


@extend_schema(tags=["cms"])
class NewsDetailView(_PublicNews):
    """One live post with its body, in the language asked when translated (else French)."""

    @extend_schema(
        operation_id="cms_news_post_retrieve",
        parameters=[s.CmsNewsPostParams],
        responses=s.CmsNewsPostDetailOut,
    )
    def get(self, request, post_id, **kwargs):
        params = _parse(s.CmsNewsPostParams, request.query_params.dict())
        post = selectors.news_post(post_id, language=_language(request, params))
        return Response(s.CmsNewsPostDetailOut(news_view(post, detail=True)).data)
