"""Cms help: REST bodies (owned by the help part)."""

from __future__ import annotations

from rest_framework import serializers

from apps.core.rest import StrictSerializer

from ..contracts import HELP_AUDIENCES, HELP_LOCALES
from ..models.help import HelpFeedback, SupportTicket


class CmsHelpSearchParams(serializers.Serializer):
    q = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    locale = serializers.ChoiceField(choices=HELP_LOCALES, required=False, default="fr")
    audience = serializers.ChoiceField(choices=HELP_AUDIENCES, required=False, allow_blank=True, default="")
    limit = serializers.IntegerField(min_value=1, max_value=50, required=False, default=10)


class CmsHelpLocaleParams(serializers.Serializer):
    locale = serializers.ChoiceField(choices=HELP_LOCALES, required=False, default="fr")
    audience = serializers.ChoiceField(choices=HELP_AUDIENCES, required=False, allow_blank=True, default="")


class CmsHelpHitOut(serializers.Serializer):
    slug = serializers.CharField()
    locale = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    category = serializers.CharField()
    audience = serializers.CharField()
    url = serializers.CharField()
    score = serializers.FloatField()


class CmsHelpArticleRefOut(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    audience = serializers.CharField()


class CmsHelpCategoryOut(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    audience = serializers.CharField()
    articles = CmsHelpArticleRefOut(many=True)


class CmsHelpArticleOut(serializers.Serializer):
    slug = serializers.CharField()
    locale = serializers.CharField(source="language")
    title = serializers.CharField()
    summary = serializers.CharField()
    audience = serializers.CharField()
    category = serializers.CharField(source="category.title")
    body_html = serializers.CharField(help_text="Sanitised HTML (Wagtail's rich text rules)")
    updated_at = serializers.DateTimeField(source="last_published_at")
    translations = serializers.DictField(child=serializers.CharField(), help_text="{locale: slug}")


class CmsHelpFeedbackIn(StrictSerializer):
    locale = serializers.ChoiceField(choices=HELP_LOCALES, required=False, default="fr")
    helpful = serializers.BooleanField()
    reason = serializers.ChoiceField(
        choices=HelpFeedback.Reason.choices, required=False, allow_blank=True, default=""
    )
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class CmsHelpTicketIn(StrictSerializer):
    name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    subject = serializers.CharField(max_length=200)
    message = serializers.CharField(max_length=5000)
    audience = serializers.ChoiceField(choices=HELP_AUDIENCES, required=False, default="everyone")
    locale = serializers.ChoiceField(choices=HELP_LOCALES, required=False, default="fr")


class CmsHelpTicketOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    subject = serializers.CharField()
    status = serializers.ChoiceField(choices=SupportTicket.Status.choices)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
