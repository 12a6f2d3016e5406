"""Admin of the catalog (finance staff edit, every staff member reads): billable metrics,
products, plans with their versions, prices, add-ons and coupons.

A version in use (`locked_at`, set by its first subscription) is shown read-only, prices
included; « Nouvelle version » copies it into a draft to edit, then « Publier » offers it.
The price forms run the catalog's checks (tiers, quantity source, metric) on their fields."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.identity.api import PolicyAdminMixin

from ..models import AddOn, BillableMetric, Coupon, Plan, PlanVersion, Price, Product
from ..services import catalog

CATALOG = {
    "view": "billing.admin.view",
    "change": "billing.catalog.change",
    "add": "billing.catalog.change",
}


class CatalogAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = CATALOG


@admin.register(BillableMetric)
class BillableMetricAdmin(CatalogAdmin):
    list_display = ("code", "name", "event_name", "filters", "aggregation", "field")
    search_fields = ("code", "name", "event_name")
    fields = (
        "code",
        "name",
        "description",
        "event_name",
        "filters",
        "aggregation",
        "field",
        "organization_field",
        "unit_name",
    )


@admin.register(Product)
class ProductAdmin(CatalogAdmin):
    list_display = ("code", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    fields = ("code", "name", "kind", "description")


class VersionInline(admin.TabularInline):
    """A plan's versions, read here; each opens on its own page (prices, publish, copy)."""

    model = PlanVersion
    fields = ("number", "status", "currency", "interval", "trial_days", "published_at", "locked_at")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False
    verbose_name = _("version")
    verbose_name_plural = _("versions")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(CatalogAdmin):
    list_display = ("name", "code", "product", "position", "is_public", "current_")
    list_filter = ("is_public", "product")
    search_fields = ("code", "name")
    fields = ("product", "code", "name", "description", "is_public", "position")
    inlines = [VersionInline]

    @admin.display(description=_("offered version"))
    def current_(self, obj):
        version = obj.versions.filter(status="published").order_by("-number").first()
        return f"v{version.number}" if version else "—"


class PriceForm(forms.ModelForm):
    class Meta:
        model = Price
        fields = (
            "kind",
            "name",
            "metric",
            "quantity_source",
            "amount",
            "tier_mode",
            "tiers",
            "free_units",
            "position",
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        candidate = Price(**{name: cleaned.get(name) for name in self.Meta.fields if name in cleaned})
        candidate.metric_id = cleaned["metric"].pk if cleaned.get("metric") else None
        for field, message in catalog.price_problems(candidate).items():
            self.add_error(field if field in self.fields else None, message)
        return cleaned


class PriceInline(PolicyAdminMixin, admin.StackedInline):
    """A version's prices (an add-on's below): editable while the version is a draft or
    published and not in use; read-only once in use."""

    policy_permissions = {**CATALOG, "delete": "billing.catalog.change"}
    model = Price
    form = PriceForm
    fk_name = "version"
    extra = 0
    verbose_name = _("price")
    verbose_name_plural = _("prices")

    def _locked(self, obj) -> bool:
        return bool(obj is not None and getattr(obj, "locked_at", None))

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class AddOnPriceInline(PriceInline):
    fk_name = "addon"


@admin.register(PlanVersion)
class PlanVersionAdmin(CatalogAdmin):
    list_display = ("__str__", "status", "currency", "interval", "trial_days", "published_at", "in_use_")
    list_filter = ("status", "plan")
    fields = (
        "plan",
        "number",
        "status",
        "currency",
        "interval",
        "trial_days",
        "entitlements",
        "published_at",
        "locked_at",
    )
    inlines = [PriceInline]
    actions = ["new_version", "publish", "retire"]
    change_form_template = "admin/billing/planversion/change_form.html"

    @admin.display(description=_("in use"), boolean=True)
    def in_use_(self, obj):
        return obj.locked_at is not None

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.locked_at:
            return self.fields  # in use: frozen, « Nouvelle version » to change it
        if obj is not None:
            return ("plan", "number", "status", "published_at", "locked_at")
        return ("number", "status", "published_at", "locked_at")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["version_locked"] = bool(obj is not None and obj.locked_at)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            last = PlanVersion.objects.filter(plan=obj.plan).order_by("-number").first()
            obj.number = (last.number + 1) if last else 1
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if "_new_version" in request.POST:
            copy = catalog.version_copy(obj)
            self.message_user(
                request, _("Draft %(version)s created: edit it, then publish it.") % {"version": copy}
            )
            return HttpResponseRedirect(reverse("admin:billing_planversion_change", args=[copy.pk]))
        return super().response_change(request, obj)

    @admin.action(description=_("New version (a draft copy)"), permissions=["change"])
    def new_version(self, request, queryset):
        for version in queryset:
            copy = catalog.version_copy(version)
            self.message_user(
                request,
                format_html(
                    '<a href="{}">{}</a>', reverse("admin:billing_planversion_change", args=[copy.pk]), copy
                ),
            )

    @admin.action(description=_("Publish (offer it)"), permissions=["change"])
    def publish(self, request, queryset):
        for version in queryset:
            try:
                catalog.version_publish(version)
            except DomainError as exc:
                self.message_user(request, f"{version}: {exc.message}", messages.ERROR)

    @admin.action(description=_("Retire (no new subscriptions)"), permissions=["change"])
    def retire(self, request, queryset):
        for version in queryset:
            catalog.version_retire(version)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AddOn)
class AddOnAdmin(CatalogAdmin):
    list_display = ("name", "code", "product", "currency", "interval", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")
    fields = ("product", "code", "name", "description", "currency", "interval", "entitlements", "is_active")
    inlines = [AddOnPriceInline]


@admin.register(Coupon)
class CouponAdmin(CatalogAdmin):
    list_display = ("code", "name", "off_", "duration_periods", "max_redemptions", "redeem_by", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")
    fields = (
        "code",
        "name",
        "percent_bps",
        "amount",
        "currency",
        "duration_periods",
        "max_redemptions",
        "redeem_by",
        "is_active",
    )

    @admin.display(description=_("discount"))
    def off_(self, obj):
        if obj.percent_bps is not None:
            return f"{obj.percent_bps / 100:g} %"
        return f"{obj.amount:,} {obj.currency}".replace(",", " ")

    def get_readonly_fields(self, request, obj=None):
        # a redeemed coupon's terms stay what its customers accepted
        if obj is not None and obj.redemptions.exists():
            return ("code", "percent_bps", "amount", "currency", "duration_periods")
        return ()
