"""Back-office of market's local services: providers (support and compliance staff suspend
one, or lift the suspension, through services/providers.py), and read-only views of quote
requests, quotes and reviews for support. Nothing is added or edited here."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.identity import api as identity

from ..models import ProviderTrade, ProviderZone, Quote, QuoteRequest, ServiceProvider, ServiceReview
from ..services import providers as svc

PERMISSION = svc.MODERATE


class _ReadOnly(identity.PolicyAdminMixin):
    policy_permissions = {"view": PERMISSION}

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TradeInline(_ReadOnly, admin.TabularInline):
    model = ProviderTrade
    extra = 0
    fields = ("trade",)
    readonly_fields = fields


class ZoneInline(_ReadOnly, admin.TabularInline):
    model = ProviderZone
    extra = 0
    fields = ("country", "city", "neighbourhood")
    readonly_fields = fields


@admin.register(ServiceProvider)
class ServiceProviderAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("name", "status", "phone", "jobs_done", "rating_count", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "phone", "public_id")
    ordering = ("name", "id")
    readonly_fields = [f.name for f in ServiceProvider._meta.fields if f.name != "user"]
    exclude = ("user",)
    inlines = (TradeInline, ZoneInline)
    actions = ("suspend_selected", "lift_selected")

    def _apply(self, request, queryset, suspended: bool):
        if not identity.can(request.user, PERMISSION):
            raise PermissionDenied
        done = 0
        for provider in queryset:
            try:
                svc.provider_suspend(staff=request.user, provider=provider, suspended=suspended)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{provider.name}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(
                request, _("%(count)d provider(s) updated.") % {"count": done}, messages.SUCCESS
            )

    @admin.action(description=_("Suspend the selected providers"))
    def suspend_selected(self, request, queryset):
        self._apply(request, queryset, True)

    @admin.action(description=_("Lift the suspension of the selected providers"))
    def lift_selected(self, request, queryset):
        self._apply(request, queryset, False)


@admin.register(QuoteRequest)
class QuoteRequestAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("trade", "city", "status", "created_at")
    list_filter = ("status", "trade", "country")
    search_fields = ("city", "public_id")
    exclude = ("requester",)
    readonly_fields = [f.name for f in QuoteRequest._meta.fields if f.name != "requester"]


@admin.register(Quote)
class QuoteAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("provider", "amount", "currency", "status", "paid_at", "created_at")
    list_filter = ("status",)
    search_fields = ("public_id", "payment_intent")
    readonly_fields = [f.name for f in Quote._meta.fields]


@admin.register(ServiceReview)
class ServiceReviewAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("provider", "rating", "created_at")
    list_filter = ("rating",)
    exclude = ("author",)
    readonly_fields = [f.name for f in ServiceReview._meta.fields if f.name != "author"]
