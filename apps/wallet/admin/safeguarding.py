"""Admin of the wallet's safeguarding part (finance): the daily reports (gaps and missing bank
balances listed, filterable), today's run on demand, and the trust bank balances finance
enters from the bank statement (never edited: a correction is a new entry). Every page asks
the policy (rules.py: wallet.safeguarding.view / .manage)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.money import format_amount
from apps.identity import api as identity

from ..models import SafeguardingReport, TrustBalance
from ..services import safeguarding


def _money(amount, currency):
    return "—" if amount is None else format_amount(amount, currency)


@admin.register(SafeguardingReport)
class SafeguardingReportAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": safeguarding.VIEW}
    list_display = (
        "day",
        "currency",
        "status",
        "outstanding_",
        "safeguarded_",
        "gap_",
        "source",
        "computed_at",
    )
    list_filter = ("status", "currency", "day")
    date_hierarchy = "day"
    ordering = ("-day", "currency")
    list_per_page = 60

    @admin.display(description=_("e-money outstanding"), ordering="outstanding")
    def outstanding_(self, obj):
        return _money(obj.outstanding, obj.currency)

    @admin.display(description=_("safeguarded"), ordering="safeguarded")
    def safeguarded_(self, obj):
        return _money(obj.safeguarded, obj.currency)

    @admin.display(description=_("gap"), ordering="gap")
    def gap_(self, obj):
        return _money(obj.gap, obj.currency)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("run/", self.admin_site.admin_view(self.run_view), name="wallet_safeguarding_run"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"can_run": identity.can(request.user, safeguarding.MANAGE), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def run_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not identity.can(request.user, safeguarding.MANAGE):
            raise PermissionDenied
        reports = safeguarding.run_daily(timezone.localdate())
        gaps = [r for r in reports if r.status != SafeguardingReport.Status.BALANCED]
        if gaps:
            messages.warning(
                request,
                _("Today's report: %(count)s currency(ies) not balanced. They are listed below.")
                % {"count": len(gaps)},
            )
        else:
            messages.success(request, _("Today's report balances."))
        return redirect(reverse("admin:wallet_safeguardingreport_changelist"))


class TrustBalanceForm(forms.ModelForm):
    class Meta:
        model = TrustBalance
        fields = ("currency", "on", "amount", "reference", "note")

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("A closing balance cannot be dated in the future."))
        return on

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount < 0:
            raise forms.ValidationError(_("Enter the closing balance in whole francs, zero or more."))
        return amount


@admin.register(TrustBalance)
class TrustBalanceAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": safeguarding.VIEW, "add": safeguarding.MANAGE}
    form = TrustBalanceForm
    list_display = ("on", "currency", "amount_", "source", "reference", "entered_by", "created_at")
    list_filter = ("currency", "source", "on")
    search_fields = ("reference", "note")
    ordering = ("-on", "-created_at")

    @admin.display(description=_("closing balance"), ordering="amount")
    def amount_(self, obj):
        return _money(obj.amount, obj.currency)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            saved = safeguarding.trust_balance_record(
                actor=request.user,
                currency=obj.currency,
                on=obj.on,
                amount=obj.amount,
                reference=obj.reference,
                note=obj.note,
            )
        except DomainError as exc:  # the form checked the same rules: a race or a policy change
            messages.error(request, str(exc.message))
            raise PermissionDenied from exc
        obj.pk, obj.public_id, obj.created_at = saved.pk, saved.public_id, saved.created_at

    def response_add(self, request, obj, post_url_continue=None):
        messages.success(request, _("Bank balance recorded; the reports of that day were compared again."))
        return redirect(reverse("admin:wallet_safeguardingreport_changelist"))
