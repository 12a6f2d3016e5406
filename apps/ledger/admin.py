"""Back-office: read-only views of the books. Nothing here writes: corrections are
reversing transfers made through the API, never edits."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Account, Posting, Transfer


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False  # no COUNT(*) over millions of postings

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PostingInline(admin.TabularInline):
    model = Posting
    fields = ("account", "is_debit", "amount", "currency", "pending", "sequence", "balance_after")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "currency",
        "kind",
        "owner_type",
        "owner_user",
        "owner_organization",
        "debits_posted",
        "credits_posted",
        "debits_pending",
        "credits_pending",
        "closed_at",
    )
    list_filter = ("owner_type", "kind", "currency")
    search_fields = ("code", "public_id", "owner_user__phone", "owner_organization__name")
    list_select_related = ("owner_user", "owner_organization")
    readonly_fields = [f.name for f in Account._meta.fields]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "code", "idempotency_key", "reference", "description")
    list_filter = ("kind", "code")
    search_fields = ("=idempotency_key", "=public_id", "reference")
    readonly_fields = [f.name for f in Transfer._meta.fields]
    inlines = [PostingInline]
    date_hierarchy = "created_at"
    ordering = ("-id",)


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "account", "side", "amount", "currency", "pending", "code", "sequence")
    list_filter = ("pending", "currency")
    search_fields = ("=transfer__idempotency_key", "transfer__reference", "=transfer__public_id")
    list_select_related = ("account", "transfer")
    readonly_fields = [f.name for f in Posting._meta.fields]
    ordering = ("-id",)

    @admin.display(description=_("side"))
    def side(self, obj):
        return _("debit") if obj.is_debit else _("credit")
