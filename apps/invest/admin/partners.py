"""Admin of the partners (SGI / SGO) and the products they manage: the partner's licence,
provider and API settings (its API key and callback secret never shown: masked, replaced
only by typing a new one) and « Reconcile today »; each product's sheet with its latest
prices (read-only: the market data run writes them) and its UMOA-Titres auctions."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from ..models import Auction, Partner, Price, Product
from ..services.reconcile import reconcile
from .common import MANAGE, VIEW, ReadOnlyInline, StaffAdmin, can, confirmed

PRICES_SHOWN = 30


def masked(secret: str) -> str:
    """« ••••1a2b » (the last four characters of a long secret), « •••• » for a short one,
    « — » when there is none."""
    if not secret:
        return "—"
    return "••••" + (secret[-4:] if len(secret) >= 12 else "")


def _formfield(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class PartnerForm(forms.ModelForm):
    api_key = forms.CharField(
        label=_("API key"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Never shown. Leave empty to keep the current one; type a new one to replace it."),
    )
    callback_secret = forms.CharField(
        label=_("callback secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Never shown. Leave empty to keep the current one; type a new one to replace it."),
    )

    class Meta:
        model = Partner
        formfield_callback = _formfield
        fields = (
            "code",
            "name",
            "kind",
            "licence",
            "provider",
            "base_url",
            "api_key",
            "callback_secret",
            "active",
        )

    def _keep(self, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value and self.instance.pk:
            return getattr(self.instance, name)
        return value

    def clean_api_key(self):
        return self._keep("api_key")

    def clean_callback_secret(self):
        return self._keep("callback_secret")

    def clean(self):
        data = super().clean()
        if data.get("provider") == Partner.Provider.HTTP and not data.get("base_url"):
            self.add_error("base_url", _("A partner reached over HTTP needs its API base URL."))
        return data


@admin.register(Partner)
class PartnerAdmin(StaffAdmin):
    edit = MANAGE
    can_add = True
    form = PartnerForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = (
        "name",
        "code",
        "kind",
        "licence",
        "provider",
        "base_url",
        "api_key_",
        "callback_secret_",
        "active",
    )
    list_filter = ("kind", "provider", "active")
    search_fields = ("name", "code", "licence")
    actions = ["reconcile_today"]

    @admin.display(description=_("API key"))
    def api_key_(self, obj):
        return masked(obj.api_key)

    @admin.display(description=_("callback secret"))
    def callback_secret_(self, obj):
        return masked(obj.callback_secret)

    def get_fields(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return ("code", "name", "kind", "licence", "provider", "base_url", "api_key_", "api_key",
                    "callback_secret_", "callback_secret", "active")  # fmt: skip
        return (
            "code",
            "name",
            "kind",
            "licence",
            "provider",
            "base_url",
            "api_key_",
            "callback_secret_",
            "active",
        )

    def get_readonly_fields(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return ("api_key_", "callback_secret_")
        return self.get_fields(request, obj)

    @admin.action(
        description=_("Reconcile today (the partner's positions file against ours)"), permissions=["manage"]
    )
    def reconcile_today(self, request, queryset):
        answer = confirmed(
            self,
            request,
            queryset,
            action="reconcile_today",
            title=_("Reconcile these partners today?"),
            warning=_(
                "Each partner's positions file of today is fetched and compared with Hokwe's positions; "
                "today's unresolved differences are replaced."
            ),
        )
        if answer is not True:
            return answer
        for partner in queryset:
            run = reconcile(partner)
            if run.error:
                self.message_user(
                    request,
                    _("%(partner)s: the partner did not answer (%(error)s).")
                    % {"partner": partner, "error": run.error},
                    messages.ERROR,
                )
                continue
            self.message_user(
                request,
                _("%(partner)s: %(lines)d line(s), %(matched)d agree, %(differences)d difference(s).")
                % {
                    "partner": partner,
                    "lines": run.lines,
                    "matched": run.matched,
                    "differences": run.differences,
                },
                messages.WARNING if run.differences else messages.SUCCESS,
            )


class LatestPrices(BaseInlineFormSet):
    def get_queryset(self):
        if not hasattr(self, "_latest"):
            ids = list(self.queryset.order_by("-on").values_list("pk", flat=True)[:PRICES_SHOWN])
            self._latest = Price.objects.filter(pk__in=ids).order_by("-on")
        return self._latest


class PriceInline(ReadOnlyInline):
    model = Price
    formset = LatestPrices
    fields = ("on", "price", "source")
    verbose_name_plural = _("latest prices (1/10,000 XOF per unit)")


class AuctionInline(admin.TabularInline):
    model = Auction
    extra = 0
    fields = ("auction_on", "value_on", "maturity_on", "issue_amount", "min_amount")
    ordering = ("-auction_on",)

    def has_view_permission(self, request, obj=None):
        return can(request.user, VIEW)

    def has_add_permission(self, request, obj=None):
        return can(request.user, MANAGE)

    def has_change_permission(self, request, obj=None):
        return can(request.user, MANAGE)

    def has_delete_permission(self, request, obj=None):
        return can(request.user, MANAGE)


@admin.register(Product)
class ProductAdmin(StaffAdmin):
    edit = MANAGE
    can_add = True
    list_display = ("name", "code", "kind", "risk", "partner", "status", "min_amount", "price", "price_on")
    list_filter = ("kind", "risk", "status", "partner")
    search_fields = ("name", "code", "isin", "ticker")
    list_select_related = ("partner",)
    inlines = (PriceInline, AuctionInline)
    readonly_fields = ("public_id", "price", "price_on")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "public_id",
                    "code",
                    "isin",
                    "ticker",
                    "name",
                    "kind",
                    "partner",
                    "currency",
                    "status",
                )
            },
        ),
        (_("Risk and horizon"), {"fields": ("risk", "horizon_months", "sector", "summary", "summary_en")}),
        (
            _("Fees"),
            {
                "fields": (
                    "entry_fee_bps",
                    "exit_fee_bps",
                    "management_fee_bps",
                    "brokerage_bps",
                    "min_fee",
                    "min_amount",
                )
            },
        ),
        (_("Dealing"), {"fields": ("cutoff", "settlement_days", "maturity_on", "coupon_bps")}),
        (_("Latest price"), {"fields": ("price", "price_on")}),
    )
