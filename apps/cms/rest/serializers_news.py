"""Serializers of cms's news part: the list's query parameters, a post, a page of posts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.rest import StrictSerializer

from ..contracts import NEWS_AUDIENCES
from ..selectors import NEWS_LANGUAGES, NEWS_PAGE_MAX


class CmsNewsParams(StrictSerializer):
    language = serializers.ChoiceField(
        choices=list(NEWS_LANGUAGES),
        required=False,
        help_text=_("fr or en (default: the request's language); a post not translated comes in French"),
    )
    audience = serializers.ChoiceField(
        choices=list(NEWS_AUDIENCES),
        required=False,
        help_text=_("The posts for this audience and everyone's"),
    )
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$", required=False, help_text=_("Country code (BJ, CI…): its posts and every country's")
    )
    city = serializers.CharField(required=False, max_length=100, help_text=_("Its posts and every city's"))
    after = serializers.CharField(
        required=False, max_length=200, help_text=_("The next_cursor of the page before")
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=NEWS_PAGE_MAX)


class CmsNewsPostParams(StrictSerializer):
    language = serializers.ChoiceField(choices=list(NEWS_LANGUAGES), required=False)


class CmsNewsTranslationOut(serializers.Serializer):
    language = serializers.CharField()
    url = serializers.CharField()


class CmsNewsPostOut(serializers.Serializer):
    id = serializers.UUIDField(help_text=_("The post's id, shared by its French and English versions"))
    language = serializers.CharField()
    title = serializers.CharField()
    date = serializers.DateField()
    intro = serializers.CharField()
    url = serializers.CharField()
    image_url = serializers.CharField(help_text=_("Empty when the post has no image"))
    audience = serializers.ChoiceField(choices=list(NEWS_AUDIENCES))
    country = serializers.CharField()
    city = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)


class CmsNewsPostDetailOut(CmsNewsPostOut):
    body_html = serializers.CharField(help_text=_("The body as HTML (Wagtail's rich text: no script)"))
    translations = CmsNewsTranslationOut(many=True)


class CmsNewsPageOut(serializers.Serializer):
    results = CmsNewsPostOut(many=True)
    next_cursor = serializers.CharField(help_text=_("Empty on the last page"))
