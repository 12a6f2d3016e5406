"""Cms news: GraphQL root fields (named cms<Thing>), owned by the news part: the live posts
a page at a time and one post by its id. Anyone may read them (rate-limited per client by
the `cms.news` scope). The same selectors and views as REST."""

from __future__ import annotations

import graphene
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core import ratelimit

from .. import selectors
from ..contracts import NEWS_AUDIENCES
from ..errors import NewsFilterInvalid, NewsPostNotFound
from ..services.news import news_view


class CmsNewsTranslationType(graphene.ObjectType):
    class Meta:
        name = "CmsNewsTranslation"

    language = graphene.String(required=True)
    url = graphene.String(required=True)


class CmsNewsPostType(graphene.ObjectType):
    class Meta:
        name = "CmsNewsPost"

    id = graphene.UUID(
        required=True, description=_("The post's id, shared by its French and English versions")
    )
    language = graphene.String(required=True)
    title = graphene.String(required=True)
    date = graphene.Date(required=True)
    intro = graphene.String(required=True)
    url = graphene.String(required=True)
    image_url = graphene.String(required=True, description=_("Empty when the post has no image"))
    audience = graphene.String(required=True, description=_("everyone, tenants, landlords or agencies"))
    country = graphene.String(required=True)
    city = graphene.String(required=True)
    published_at = graphene.DateTime()
    updated_at = graphene.DateTime()
    body_html = graphene.String(
        description=_("The body as HTML (Wagtail's rich text: no script); cmsNewsPost only")
    )
    translations = graphene.List(graphene.NonNull(CmsNewsTranslationType))


class CmsNewsPageType(graphene.ObjectType):
    class Meta:
        name = "CmsNewsPage"

    posts = graphene.List(graphene.NonNull(CmsNewsPostType), required=True)
    next_cursor = graphene.String(required=True, description=_("Empty on the last page"))


def _language(language: str | None) -> str:
    language = language or get_language() or selectors.NEWS_DEFAULT_LANGUAGE
    language = language.split("-")[0]
    if language not in selectors.NEWS_LANGUAGES:
        raise NewsFilterInvalid(field="language")
    return language


def _throttle(info) -> None:
    ratelimit.hit("cms.news", key=ratelimit.client_key(info.context))


class NewsQueries(graphene.ObjectType):
    public_fields: tuple = ("cms_news", "cms_news_post")

    cms_news = graphene.Field(
        CmsNewsPageType,
        required=True,
        language=graphene.String(
            description=_("fr or en (default: the request's); a post not translated comes in French")
        ),
        audience=graphene.String(
            description=_("everyone, tenants, landlords or agencies: its posts and everyone's")
        ),
        country=graphene.String(description=_("Country code (BJ, CI…): its posts and every country's")),
        city=graphene.String(description=_("Its posts and every city's")),
        after=graphene.String(description=_("The nextCursor of the page before")),
        first=graphene.Int(default_value=20, description=_("Posts per page (50 at most)")),
        description=_("The live news posts, newest first, a page at a time (anyone may read them)."),
    )
    cms_news_post = graphene.Field(
        CmsNewsPostType,
        id=graphene.UUID(required=True),
        language=graphene.String(),
        description=_(
            "One live news post with its body, in the language asked when translated (else French)."
        ),
    )

    @staticmethod
    def resolve_cms_news(
        root, info, language=None, audience=None, country=None, city=None, after=None, first=20
    ):
        _throttle(info)
        if audience and audience not in NEWS_AUDIENCES:
            raise NewsFilterInvalid(field="audience")
        if country and not (len(country) == 2 and country.isalpha()):
            raise NewsFilterInvalid(field="country")
        posts, next_cursor = selectors.news_page(
            language=_language(language),
            audience=audience or "",
            country=country or "",
            city=(city or "")[:100],
            after=after,
            limit=max(1, min(first or 20, selectors.NEWS_PAGE_MAX)),
        )
        return {"posts": [news_view(p) for p in posts], "next_cursor": next_cursor}

    @staticmethod
    def resolve_cms_news_post(root, info, id, language=None):
        _throttle(info)
        try:
            return news_view(selectors.news_post(id, language=_language(language)), detail=True)
        except NewsPostNotFound:
            return None


class NewsMutations(graphene.ObjectType):
    pass
