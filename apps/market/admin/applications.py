"""Back-office of market's applications part: a read-only view for support (the applicant's
decision trail); nothing is added, edited or deleted here — agencies decide on their pages."""

from django.contrib import admin

from apps.identity import api as identity

from ..models import Application


@admin.register(Application)
class ApplicationAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "market.provider.moderate"}
    list_display = ("listing", "status", "created_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("public_id",)
    exclude = ("applicant", "decided_by")
    readonly_fields = [f.name for f in Application._meta.fields if f.name not in ("applicant", "decided_by")]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
