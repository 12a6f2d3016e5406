"""Admin of scoring's bureau part (compliance): the monthly exports (status, counts, the
bureau's reference, what it rejected), the signed file downloaded decrypted with its
signature, and the tenants' consents (read only: a tenant gives or withdraws it)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.audit import AuditCategory, audit_record
from apps.identity import api as identity

from ..models import BureauConsent, BureauExport

MANAGE = "scoring.bureau.manage"


@admin.register(BureauExport)
class BureauExportAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": MANAGE}
    list_display = (
        "period",
        "provider",
        "status",
        "subjects",
        "records",
        "remote_reference",
        "sent_at",
        "file_",
    )
    list_filter = ("provider", "status")
    ordering = ("-period", "provider")
    exclude = ("wrapped_key",)

    @admin.display(description=_("file"))
    def file_(self, obj):
        if not obj.storage_name:
            return "—"
        url = reverse("admin:scoring_bureauexport_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.file_name)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="scoring_bureauexport_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk):
        """The plain CSV (decrypted, checked against its digest); its signature in the
        X-Hokwe-Signature header (Ed25519, base64). Audited: personal data leaves the vault."""
        from ..services.bureau_file import read

        if not identity.can(request.user, MANAGE):
            raise PermissionDenied
        export = get_object_or_404(BureauExport, pk=pk)
        content = read(export)
        audit_record(
            action="scoring.bureau_export.downloaded",
            category=AuditCategory.STAFF,
            actor=request.user,
            target=export,
            reason=export.file_name,
        )
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
        response["X-Hokwe-Signature"] = export.signature
        return response


@admin.register(BureauConsent)
class BureauConsentAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": MANAGE}
    list_display = ("user", "given", "given_at", "withdrawn_at", "text_version")
    list_filter = ("given",)
    search_fields = ("user__phone", "user__full_name")
    list_select_related = ("user",)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
