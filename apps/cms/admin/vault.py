"""Back-office of the vault (HokweDoc): support staff read documents' metadata, share links
and the access log (who opened, downloaded or shared what, when, from where). Read-only: the
bytes are never shown here, documents change through their owners (services/vault.py)."""

from django.contrib import admin

from apps.identity.api import PolicyAdminMixin

from ..models import VaultAccess, VaultDocument, VaultShare

VIEW = {"view": "cms.vault.audit"}


class _ReadOnly(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = VIEW

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VaultDocument)
class VaultDocumentAdmin(_ReadOnly):
    list_display = ("name", "kind", "origin", "organization", "user", "size", "created_at", "deleted_at")
    list_filter = ("kind", "origin")
    search_fields = ("name", "source_id", "=public_id")
    exclude = ("wrapped_key", "key_id", "storage_name", "search_text")
    raw_id_fields = ("organization", "user", "folder", "created_by")


@admin.register(VaultShare)
class VaultShareAdmin(_ReadOnly):
    list_display = ("document", "created_by", "expires_at", "revoked_at", "opened_count")
    exclude = ("token_hash", "otp_hash")
    raw_id_fields = ("document", "created_by")


@admin.register(VaultAccess)
class VaultAccessAdmin(_ReadOnly):
    list_display = ("at", "action", "document", "actor", "organization", "user", "ip")
    list_filter = ("action",)
    search_fields = ("=document__public_id", "ip")
    raw_id_fields = ("document", "organization", "user", "actor", "share")
