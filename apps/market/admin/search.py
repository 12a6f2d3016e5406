"""Back-office of market's search part: support staff read the saved searches (a seeker asking
why an alert came, or did not: its criteria, channel, last alert). Read-only: a seeker changes
their own through the apps or /market/me/ (services/saved.py)."""

from django.contrib import admin

from apps.identity.api import PolicyAdminMixin

from ..models import SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "market.search.view"}
    list_display = ("name", "user", "channel", "active", "alerted_up_to", "last_alert_at", "last_alert_count")
    list_filter = ("active", "channel")
    list_select_related = ("user",)
    search_fields = ("name", "public_id")
    raw_id_fields = ("user",)
    readonly_fields = ("query", "alerted_up_to", "last_alert_at", "last_alert_count")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
