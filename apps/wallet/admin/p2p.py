"""Admin of the wallet's p2p part: compliance reads every P2P transfer (list, search by number,
filters); nothing is edited here (money moves only through services/p2p.py)."""

from django.contrib import admin

from apps.identity import api as identity

from ..models import P2pTransfer


@admin.register(P2pTransfer)
class P2pTransferAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "wallet.admin.view"}  # no change, add or delete for anyone
    list_display = (
        "public_id",
        "created_at",
        "sender",
        "receiver_phone",
        "receiver",
        "amount",
        "currency",
        "status",
    )
    list_filter = ("status", "currency")
    search_fields = ("public_id", "receiver_phone", "sender__phone", "sender__full_name")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    list_select_related = ("sender", "receiver")
    readonly_fields = [f.name for f in P2pTransfer._meta.fields]
