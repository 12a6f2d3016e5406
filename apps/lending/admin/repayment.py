"""Admin of repayments (credit staff): every payment towards a loan, by channel and day,
with its allocation (fees, interest, principal; per instalment), what was prepaid, the excess
returned to the wallet and its ledger transfers; and the instalments billed (interest and
fees become owed when their instalment falls due). Read-only: money moves only through
services/repayments.py and services/accounting.py."""

from django.contrib import admin

from apps.identity import api as identity

from ..models import InstalmentBilling, Repayment


class _ReadOnly(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "lending.admin.view"}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Repayment)
class RepaymentAdmin(_ReadOnly):
    list_display = (
        "loan", "paid_on", "channel", "amount", "currency", "fees", "interest", "principal",
        "prepaid", "excess", "closed_loan",
    )  # fmt: skip
    list_filter = ("channel", "closed_loan", "currency", "paid_on")
    search_fields = ("loan__number", "public_id", "loan__borrower__phone", "idempotency_key")
    date_hierarchy = "paid_on"
    ordering = ("-created_at",)
    list_select_related = ("loan",)
    readonly_fields = [f.name for f in Repayment._meta.fields]


@admin.register(InstalmentBilling)
class InstalmentBillingAdmin(_ReadOnly):
    list_display = ("instalment", "loan", "billed_on", "interest", "fee", "accrued")
    list_filter = ("accrued", "billed_on")
    search_fields = ("loan__number", "transfer_key")
    date_hierarchy = "billed_on"
    ordering = ("-billed_on", "-id")
    list_select_related = ("loan", "instalment")
    readonly_fields = [f.name for f in InstalmentBilling._meta.fields]
