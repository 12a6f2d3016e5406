from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import outbox
from .models import AuditEntry, HandledEvent, OutboxEvent


class HandledEventInline(admin.TabularInline):
    model = HandledEvent
    extra = 0
    can_delete = False
    readonly_fields = ("handler", "handled_at")


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "attempts", "occurred_at", "dispatched_at", "request_id")
    list_filter = ("status", "name")
    search_fields = ("event_id", "name", "request_id")
    readonly_fields = [f.name for f in OutboxEvent._meta.fields]
    inlines = [HandledEventInline]
    actions = ["replay"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Replay the selected events"))
    def replay(self, request, queryset):
        count = outbox.replay(event_ids=[str(e) for e in queryset.values_list("event_id", flat=True)])
        self.message_user(request, _("%(count)d event(s) re-enqueued.") % {"count": count}, messages.SUCCESS)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only (apps/core/audit.py)."""

    list_display = ("created_at", "category", "action", "actor_label", "target_type", "target_label", "ip")
    list_filter = ("category", "actor_is_staff")
    search_fields = ("action", "actor_public_id", "organization_public_id", "target_public_id", "request_id")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
