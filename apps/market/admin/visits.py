"""Back-office of market's visits part: support staff read visit slots and bookings (a seeker
calling about their visit, by code or phone). Read-only: visits change through their host,
their seeker or the booking web app (services/visits.py)."""

from django.contrib import admin

from apps.identity.api import PolicyAdminMixin

from ..models import VisitBooking, VisitSlot

VIEW = {"view": "market.visit.view"}


class _ReadOnly(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = VIEW

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VisitSlot)
class VisitSlotAdmin(_ReadOnly):
    list_display = ("starts_at", "ends_at", "listing", "host", "status")
    list_filter = ("status",)
    list_select_related = ("listing", "host")
    search_fields = ("listing__title", "public_id")
    date_hierarchy = "starts_at"
    raw_id_fields = ("listing", "host", "organization")


@admin.register(VisitBooking)
class VisitBookingAdmin(_ReadOnly):
    list_display = (
        "code",
        "starts_at",
        "listing",
        "seeker_name",
        "seeker_phone",
        "status",
        "reminder_sent_at",
    )
    list_filter = ("status", "canceled_by")
    list_select_related = ("listing",)
    search_fields = ("=code", "seeker_phone", "seeker_name", "listing__title")
    date_hierarchy = "starts_at"
    raw_id_fields = ("slot", "listing", "host", "seeker", "organization", "rescheduled_from")
