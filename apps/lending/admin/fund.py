"""Admin of the emergency funds, withdrawals, guarantors and pledged savings (credit staff):
read-only — money moves only through services/fund.py and pledges.py (the ledger holds the
balances; the lists show the rows that drive them)."""

from django.contrib import admin

from apps.identity import api as identity

from ..models import EmergencyFund, Guarantor, Pledge, WithdrawalNotice


class _ReadOnly(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "lending.admin.view"}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EmergencyFund)
class EmergencyFundAdmin(_ReadOnly):
    list_display = (
        "user",
        "currency",
        "status",
        "goal",
        "withdrawal_rule",
        "notice_days",
        "auto_amount",
        "auto_next_on",
    )
    list_filter = ("status", "withdrawal_rule", "auto_frequency", "currency")
    search_fields = ("user__phone", "public_id", "account")
    ordering = ("-created_at",)
    list_select_related = ("user",)
    readonly_fields = [f.name for f in EmergencyFund._meta.fields]


@admin.register(WithdrawalNotice)
class WithdrawalNoticeAdmin(_ReadOnly):
    list_display = ("fund", "amount", "paid_amount", "available_on", "status", "settled_at")
    list_filter = ("status", "available_on")
    search_fields = ("fund__user__phone", "public_id")
    ordering = ("-created_at",)
    list_select_related = ("fund__user",)
    readonly_fields = [f.name for f in WithdrawalNotice._meta.fields]


@admin.register(Guarantor)
class GuarantorAdmin(_ReadOnly):
    list_display = ("loan", "phone", "name", "status", "pledge_amount", "responded_at")
    list_filter = ("status",)
    search_fields = ("loan__number", "phone", "public_id")
    ordering = ("-created_at",)
    list_select_related = ("loan",)
    readonly_fields = [f.name for f in Guarantor._meta.fields]


@admin.register(Pledge)
class PledgeAdmin(_ReadOnly):
    list_display = ("loan", "fund", "guarantor", "amount", "released", "applied", "status")
    list_filter = ("status", "currency")
    search_fields = ("loan__number", "public_id", "hold")
    ordering = ("-created_at",)
    list_select_related = ("loan", "fund", "guarantor")
    readonly_fields = [f.name for f in Pledge._meta.fields]
