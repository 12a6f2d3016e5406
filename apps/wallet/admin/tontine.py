"""Admin of Cotis'Hokwe for disputes (finance and compliance staff): every group with its
members, rounds and contributions (who paid what, when, how; the ledger transfer of each),
read-only — money moves only through services/tontine*.py, and a dispute is settled by a
reversal on the ledger with its own record."""

from django.contrib import admin

from apps.identity import api as identity

from ..models import TontineBid, TontineContribution, TontineGroup, TontineMember, TontineRound


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TontineMemberInline(_ReadOnlyInline):
    model = TontineMember
    fk_name = "group"
    fields = (
        "phone",
        "user",
        "status",
        "position",
        "payout_to",
        "guarantee_amount",
        "defaults",
        "accepted_at",
    )
    readonly_fields = fields


class TontineRoundInline(_ReadOnlyInline):
    model = TontineRound
    fields = (
        "number", "due_date", "close_date", "status", "beneficiary",
        "collected", "penalties", "commission", "discount", "paid_out", "paid_at",
    )  # fmt: skip
    readonly_fields = fields


@admin.register(TontineGroup)
class TontineGroupAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "wallet.tontine.dispute"}
    list_display = (
        "name", "public_id", "organiser", "status", "order_method", "contribution", "currency",
        "frequency", "start_date",
    )  # fmt: skip
    list_filter = ("status", "order_method", "frequency", "currency")
    search_fields = ("public_id", "name", "organiser__phone", "organiser__full_name", "members__phone")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    list_select_related = ("organiser",)
    exclude = ("seed",)  # shown on the group's page once revealed; never before
    readonly_fields = [f.name for f in TontineGroup._meta.fields if f.name != "seed"]
    inlines = (TontineMemberInline, TontineRoundInline)


@admin.register(TontineContribution)
class TontineContributionAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "wallet.tontine.dispute"}
    list_display = (
        "round",
        "member",
        "amount",
        "penalty",
        "status",
        "method",
        "paid_at",
        "attempts",
        "last_error",
    )
    list_filter = ("status", "method")
    search_fields = (
        "public_id",
        "member__phone",
        "round__group__name",
        "round__group__public_id",
        "transfer",
    )
    list_select_related = ("round", "member")
    readonly_fields = [f.name for f in TontineContribution._meta.fields]


@admin.register(TontineBid)
class TontineBidAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "wallet.tontine.dispute"}
    list_display = ("round", "member", "discount", "created_at")
    search_fields = ("round__group__public_id", "member__phone")
    readonly_fields = [f.name for f in TontineBid._meta.fields]
