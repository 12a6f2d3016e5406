"""Admin of subscriptions (staff): the billing customers (their legal details editable by
finance staff, their accounts read-only), the subscriptions (read-only; the actions cancel at
the end of the term, pause and resume go through services/subscriptions.py), the log of
changes and the coupon redemptions. Nothing is added or deleted here."""

from uuid import uuid4

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.identity import api as identity

from ..models import CouponRedemption, Customer, Subscription, SubscriptionAddOn, SubscriptionChange
from ..services import subscriptions as service

VIEW = "billing.subscription.admin"
STAFF = "billing.subscription.staff"


class ReadOnlyInline(identity.PolicyAdminMixin, admin.TabularInline):
    policy_permissions = {"view": VIEW}
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AddOnInline(ReadOnlyInline):
    model = SubscriptionAddOn
    fields = readonly_fields = ("addon", "quantity", "started_on", "ended_on")


class CouponInline(ReadOnlyInline):
    model = CouponRedemption
    fields = readonly_fields = ("coupon", "periods_left", "created_at")


class ChangeInline(ReadOnlyInline):
    model = SubscriptionChange
    fields = readonly_fields = (
        "kind",
        "timing",
        "from_version",
        "to_version",
        "effective_on",
        "invoice",
        "credit_note",
        "actor",
        "created_at",
    )
    ordering = ("-created_at",)


@admin.register(Customer)
class CustomerAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": VIEW, "change": STAFF}
    list_display = ("legal_name", "country", "currency", "method", "tax_id", "email", "created_at")
    list_filter = ("country", "currency", "method")
    search_fields = ("legal_name", "tax_id", "rccm", "email", "phone", "public_id")
    ordering = ("legal_name",)
    readonly_fields = (
        "organization",
        "currency",
        "receivable_account",
        "credits_account",
        "public_id",
        "created_at",
    )
    fields = (
        "organization",
        "legal_name",
        "tax_id",
        "rccm",
        "address",
        "country",
        "email",
        "phone",
        "currency",
        "method",
        "payer_phone",
        "provider",
        "use_credits_first",
        "receivable_account",
        "credits_account",
        "public_id",
        "created_at",
    )

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": VIEW}
    list_display = (
        "customer",
        "version",
        "status",
        "current_period_start",
        "current_period_end",
        "trial_ends_on",
        "cancel_at_period_end",
        "pending_version",
    )
    list_filter = ("status", "cancel_at_period_end", "version__plan")
    search_fields = ("customer__legal_name", "public_id")
    ordering = ("-created_at",)
    list_select_related = ("customer", "version__plan", "pending_version__plan")
    readonly_fields = [f.name for f in Subscription._meta.fields]
    inlines = (AddOnInline, CouponInline, ChangeInline)
    actions = ["cancel_at_period_end", "pause", "resume"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not identity.can(request.user, STAFF):
            for name in ("cancel_at_period_end", "pause", "resume"):
                actions.pop(name, None)
        return actions

    def _each(self, request, queryset, func, done):
        count = 0
        for sub in queryset:
            try:
                func(sub, f"admin:{uuid4()}")
                count += 1
            except DomainError as exc:
                self.message_user(request, f"{sub}: {exc.message}", messages.ERROR)
        self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Cancel the selected subscriptions at the end of their term"))
    def cancel_at_period_end(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda sub, key: service.cancel(actor=request.user, subscription=sub, idempotency_key=key),
            _("%(count)d subscription(s) will end with their term."),
        )

    @admin.action(description=_("Pause the selected subscriptions"))
    def pause(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda sub, key: service.pause(actor=request.user, subscription=sub, idempotency_key=key),
            _("%(count)d subscription(s) paused."),
        )

    @admin.action(description=_("Resume the selected subscriptions"))
    def resume(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda sub, key: service.resume(actor=request.user, subscription=sub, idempotency_key=key),
            _("%(count)d subscription(s) resumed."),
        )


@admin.register(SubscriptionChange)
class SubscriptionChangeAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": VIEW}
    list_display = (
        "subscription",
        "kind",
        "timing",
        "from_version",
        "to_version",
        "effective_on",
        "created_at",
    )
    list_filter = ("kind", "timing")
    search_fields = ("subscription__customer__legal_name", "idempotency_key", "public_id")
    ordering = ("-created_at",)
    list_select_related = ("subscription__customer", "from_version__plan", "to_version__plan")
    readonly_fields = [f.name for f in SubscriptionChange._meta.fields]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CouponRedemption)
class CouponRedemptionAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": VIEW}
    list_display = ("coupon", "subscription", "periods_left", "created_at")
    list_filter = ("coupon",)
    search_fields = ("coupon__code", "subscription__customer__legal_name")
    ordering = ("-created_at",)
    list_select_related = ("coupon", "subscription__customer")
    readonly_fields = [f.name for f in CouponRedemption._meta.fields]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
