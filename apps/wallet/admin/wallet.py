"""Admin of wallets: compliance staff freeze and unfreeze (with a reason, audited), and read
wallets, top-ups, withdrawals and rents paid from wallets. Nothing else is edited here (money
moves only through the services)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.identity import api as identity

from ..models import RentPayment, TopUp, Wallet, Withdrawal
from ..services import compliance


class ReasonActionForm(ActionForm):
    reason = forms.CharField(label=_("Reason (kept in the audit log)"), required=False, max_length=300)


def _apply(modeladmin, request, queryset, operation, done_message):
    if not identity.can(request.user, "wallet.wallet.freeze"):
        modeladmin.message_user(request, _("Only compliance staff may do this."), messages.ERROR)
        return
    reason = request.POST.get("reason", "")
    done = 0
    for wallet in queryset:
        try:
            operation(actor=request.user, wallet=wallet, reason=reason)
            done += 1
        except DomainError as error:
            modeladmin.message_user(request, f"{wallet}: {error.message}", messages.ERROR)
            return
    modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


@admin.action(description=_("Freeze the selected wallets (reason required)"))
def freeze(modeladmin, request, queryset):
    _apply(modeladmin, request, queryset, compliance.wallet_freeze, _("%(count)s wallet(s) frozen."))


@admin.action(description=_("Unfreeze the selected wallets (reason required)"))
def unfreeze(modeladmin, request, queryset):
    _apply(modeladmin, request, queryset, compliance.wallet_unfreeze, _("%(count)s wallet(s) unfrozen."))


@admin.register(Wallet)
class WalletAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "wallet.admin.view"}
    action_form = ReasonActionForm
    actions = [freeze, unfreeze]
    list_display = (
        "public_id",
        "user",
        "currency",
        "status",
        "status_reason",
        "last_activity_at",
        "dormant_since",
    )
    list_filter = ("status", "currency", ("dormant_since", admin.EmptyFieldListFilter))
    search_fields = ("public_id", "user__phone", "user__full_name")
    list_select_related = ("user",)
    ordering = ("-created_at",)
    readonly_fields = [f.name for f in Wallet._meta.fields]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not identity.can(request.user, "wallet.wallet.freeze"):
            actions.pop("freeze", None)
            actions.pop("unfreeze", None)
        return actions


class _ReadOnly(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "wallet.admin.view"}
    ordering = ("-created_at",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


@admin.register(TopUp)
class TopUpAdmin(_ReadOnly):
    list_display = ("public_id", "wallet", "amount", "currency", "status", "created_at", "credited_at")
    list_filter = ("status", "currency")
    search_fields = ("public_id", "intent", "wallet__user__phone")


@admin.register(Withdrawal)
class WithdrawalAdmin(_ReadOnly):
    list_display = ("public_id", "wallet", "amount", "currency", "status", "created_at", "completed_at")
    list_filter = ("status", "currency")
    search_fields = ("public_id", "payout", "wallet__user__phone")


@admin.register(RentPayment)
class RentPaymentAdmin(_ReadOnly):
    list_display = ("public_id", "actor", "due", "amount", "currency", "created_at")
    search_fields = ("public_id", "due", "intent", "actor__phone")
