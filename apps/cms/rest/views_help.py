"""Cms help: REST of the help centre (under /api/v1/cms/help/…): the search, the categories
and an article (anyone, rate-limited per IP by `cms.help_search`), « was this helpful? »
(anyone, `cms.help_feedback`), the contact form's ticket (anyone, `cms.help_contact`) and the
signed-in user's own tickets. Thin: parse, call services/help.py, render."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.rich_text import RichText

from apps.core.rest import idempotent
from apps.core.throttling import AnonThrottle, ScopedThrottle, UserThrottle

from ..models.help import SupportTicket
from ..services import help as help_service
from . import serializers_help as s


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def article_body(article) -> dict:
    return {
        "article": article,
        "body_html": str(RichText(article.body)),
        "translations": help_service.article_translations(article),
    }


def article_out(article) -> dict:
    data = article_body(article)
    return s.CmsHelpArticleOut(
        {
            "slug": article.slug,
            "language": article.language,
            "title": article.title,
            "summary": article.summary,
            "audience": article.audience,
            "category": article.category,
            "body_html": data["body_html"],
            "last_published_at": article.last_published_at or article.updated_at,
            "translations": data["translations"],
        }
    ).data


def categories_out(groups) -> list[dict]:
    return [
        {
            "slug": g["category"].slug,
            "title": g["category"].title,
            "description": g["category"].description,
            "audience": g["category"].audience,
            "articles": [
                {"slug": a.slug, "title": a.title, "summary": a.summary, "audience": a.audience}
                for a in g["articles"]
            ],
        }
        for g in groups
    ]


class _Public(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonThrottle, UserThrottle, ScopedThrottle]
    throttle_scope = "cms.help_search"


@extend_schema(tags=["cms"], parameters=[s.CmsHelpSearchParams], responses=s.CmsHelpHitOut(many=True))
class HelpSearchView(_Public):
    """Live help articles answering `q` in a locale, for an audience (its articles and
    everyone's), best first: French stemming, accents and typos forgiven."""

    def get(self, request, **kwargs):
        p = _parse(s.CmsHelpSearchParams, request.query_params)
        hits = help_service.search(
            p["q"], locale=p["locale"], audience=p["audience"] or None, limit=p["limit"]
        )
        return Response([asdict(h) for h in hits])


@extend_schema(tags=["cms"], parameters=[s.CmsHelpLocaleParams], responses=s.CmsHelpCategoryOut(many=True))
class HelpCategoriesView(_Public):
    """The help categories of a locale with their live articles (titles), for an audience."""

    def get(self, request, **kwargs):
        p = _parse(s.CmsHelpLocaleParams, request.query_params)
        return Response(
            categories_out(help_service.categories(locale=p["locale"], audience=p["audience"] or None))
        )


@extend_schema(tags=["cms"], parameters=[s.CmsHelpLocaleParams], responses=s.CmsHelpArticleOut)
class HelpArticleView(_Public):
    """One live article (its body as sanitised HTML) and its other locales' slugs."""

    def get(self, request, slug, **kwargs):
        p = _parse(s.CmsHelpLocaleParams, request.query_params)
        return Response(article_out(help_service.article_get(slug, locale=p["locale"])))


@extend_schema(tags=["cms"], request=s.CmsHelpFeedbackIn, responses={204: None})
class HelpFeedbackView(_Public):
    """« Was this helpful? »: yes or no, a reason and a comment (a signed-in user's second
    answer replaces the first)."""

    throttle_scope = "cms.help_feedback"

    def post(self, request, slug, **kwargs):
        data = _parse(s.CmsHelpFeedbackIn, request.data)
        article = help_service.article_get(slug, locale=data["locale"])
        help_service.feedback_record(
            article=article,
            helpful=data["helpful"],
            reason=data["reason"],
            comment=data["comment"],
            user=request.user,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["cms"])
class HelpTicketsView(APIView):
    """POST (anyone): the contact form, a support ticket (an e-mail or a phone to answer,
    the signed-in user's own by default). GET (signed in): your own tickets, newest first."""

    throttle_classes = [AnonThrottle, UserThrottle, ScopedThrottle]

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else super().get_permissions()

    def get_throttles(self):
        self.throttle_scope = "cms.help_contact" if self.request.method == "POST" else ""
        return super().get_throttles()

    @extend_schema(responses=s.CmsHelpTicketOut(many=True))
    def get(self, request, **kwargs):
        tickets = help_service.tickets_of(request.user)[:50]
        return Response(s.CmsHelpTicketOut(tickets, many=True).data)

    @extend_schema(request=s.CmsHelpTicketIn, responses={201: s.CmsHelpTicketOut})
    @idempotent()
    def post(self, request, **kwargs):
        data = _parse(s.CmsHelpTicketIn, request.data)
        ticket = help_service.ticket_open(
            user=request.user,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            subject=data["subject"],
            message=data["message"],
            audience=data["audience"],
            language=data["locale"],
            source=SupportTicket.Source.APP,
        )
        return Response(s.CmsHelpTicketOut(ticket).data, status=status.HTTP_201_CREATED)
