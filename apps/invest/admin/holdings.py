"""Admin of what investors hold and receive: positions and monthly plans (read-only),
dividends and coupons (announced by finance, paid by « Pay now » through
services.distributions.pay_distribution: never by editing an amount), and the daily
reconciliations with the partners, whose differences finance resolves with a note."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    Distribution,
    DistributionPayment,
    Plan,
    Position,
    Reconciliation,
    ReconciliationDifference,
)
from ..services.distributions import pay_distribution
from .common import MANAGE, VIEW, ReadOnlyInline, StaffAdmin, can, confirmed


@admin.register(Position)
class PositionAdmin(StaffAdmin):
    list_display = (
        "user",
        "product",
        "quantity",
        "reserved",
        "cost",
        "realised",
        "income",
        "value",
        "price_on",
    )
    list_filter = ("product__kind", "product")
    search_fields = ("user__phone", "product__code", "product__name")
    list_select_related = ("user", "product")
    ordering = ("product__name", "id")
    readonly_fields = [f.name for f in Position._meta.fields if f.name != "id"]


@admin.register(Plan)
class PlanAdmin(StaffAdmin):
    list_display = (
        "public_id",
        "user",
        "product",
        "amount",
        "currency",
        "day",
        "status",
        "paused_reason",
        "next_on",
    )
    list_filter = ("status", "paused_reason", "product")
    search_fields = ("public_id", "user__phone", "product__code")
    list_select_related = ("user", "product")
    ordering = ("-created_at",)
    readonly_fields = [f.name for f in Plan._meta.fields if f.name != "id"]


class PaymentInline(ReadOnlyInline):
    model = DistributionPayment
    fields = ("user", "quantity", "amount", "transfer", "created_at")
    ordering = ("created_at",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Distribution)
class DistributionAdmin(StaffAdmin):
    edit = MANAGE
    can_add = True
    list_display = ("product", "kind", "per_unit", "record_on", "pay_on", "status", "created_at")
    list_filter = ("kind", "status", "product")
    search_fields = ("product__code", "product__name", "public_id")
    list_select_related = ("product",)
    ordering = ("-pay_on", "-id")
    fields = ("product", "kind", "per_unit", "record_on", "pay_on", "status")
    readonly_fields = ("status",)
    inlines = (PaymentInline,)
    actions = ["pay_now"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != Distribution.Status.ANNOUNCED:
            return False  # paid: what was paid stays as it was
        return super().has_change_permission(request, obj)

    @admin.action(description=_("Pay now (record date passed)"), permissions=["manage"])
    def pay_now(self, request, queryset):
        answer = confirmed(
            self,
            request,
            queryset,
            action="pay_now",
            title=_("Pay these dividends and coupons now?"),
            warning=_(
                "Each holder's wallet is credited from the partner's account for the units held now; "
                "a holder already paid is not paid twice. Distributions whose record date has not "
                "passed are skipped."
            ),
        )
        if answer is not True:
            return answer
        today = timezone.localdate()
        paid = skipped = 0
        for distribution in queryset.select_related("product", "product__partner"):
            if distribution.record_on > today:
                skipped += 1
                continue
            paid += pay_distribution(distribution)
        self.message_user(
            request,
            _("%(paid)d holder(s) paid; %(skipped)d distribution(s) skipped (record date not passed).")
            % {"paid": paid, "skipped": skipped},
            messages.SUCCESS if paid else messages.WARNING,
        )


class DifferenceForm(forms.ModelForm):
    class Meta:
        model = ReconciliationDifference
        fields = ("resolved", "note")

    def clean(self):
        data = super().clean()
        if data.get("resolved") and not (data.get("note") or "").strip():
            self.add_error("note", _("Say how the difference was resolved."))
        return data


class DifferenceInline(admin.TabularInline):
    model = ReconciliationDifference
    form = DifferenceForm
    extra = 0
    can_delete = False
    fields = ("account", "product_code", "ours", "theirs", "resolved", "note")
    readonly_fields = ("account", "product_code", "ours", "theirs")
    ordering = ("resolved", "product_code", "account")

    def has_view_permission(self, request, obj=None):
        return can(request.user, VIEW)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return can(request.user, MANAGE)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reconciliation)
class ReconciliationAdmin(StaffAdmin):
    edit = MANAGE  # the differences only (inline); the run itself is read-only
    list_display = ("on", "partner", "lines", "matched", "differences", "open_", "error")
    list_filter = ("partner", "on")
    search_fields = ("partner__code", "partner__name")
    list_select_related = ("partner",)
    ordering = ("-on", "-id")
    date_hierarchy = "on"
    fields = ("partner", "on", "lines", "matched", "differences", "error")
    readonly_fields = fields
    inlines = (DifferenceInline,)

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(open_count=Count("items", filter=Q(items__resolved=False)))
        )

    @admin.display(description=_("unresolved"), ordering="open_count")
    def open_(self, obj):
        return obj.open_count
