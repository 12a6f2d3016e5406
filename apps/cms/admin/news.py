"""Cms news: admin (owned by the news part). The posts are Wagtail pages, edited at /cms/;
the back-office shows each post's announcement (channel, audience, how many were reached),
read-only: an announcement is sent once by services/news.py."""

from django.contrib import admin

from apps.identity.api import PolicyAdminMixin

from ..models import NewsAnnouncement


@admin.register(NewsAnnouncement)
class NewsAnnouncementAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "cms.news.view"}
    list_display = (
        "created_at",
        "page",
        "channel",
        "audience",
        "country",
        "city",
        "recipients",
        "completed_at",
    )
    list_filter = ("channel", "audience", "country")
    list_select_related = ("page",)
    search_fields = ("translation_key", "page__title", "city")
    date_hierarchy = "created_at"
    readonly_fields = ("translation_key", *list_display)  # a record of what was sent: read only

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
