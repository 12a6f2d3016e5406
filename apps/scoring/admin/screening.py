"""Admin of scoring's screening part: requests, their reports (the frozen snapshot, the
recommendation and its reasons) and each organization's thresholds. Read only for risk and
compliance staff (scoring.admin.view): a consent, a report and a decision are made by the
applicant and the agency, never edited here."""

from django.contrib import admin

from apps.identity import api as identity

from ..models import ScreeningPolicy, ScreeningReport, ScreeningRequest


class _ReadOnly(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "scoring.admin.view"}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScreeningRequest)
class ScreeningRequestAdmin(_ReadOnly):
    list_display = (
        "number",
        "organization",
        "unit_label",
        "applicant_phone",
        "status",
        "decision",
        "created_at",
    )
    list_filter = ("status", "decision")
    search_fields = ("number", "applicant_phone", "applicant_name", "unit_label")
    list_select_related = ("organization",)
    exclude = ("consent_token",)  # the applicant's link is a secret


@admin.register(ScreeningReport)
class ScreeningReportAdmin(_ReadOnly):
    list_display = (
        "number",
        "request",
        "recommendation",
        "issued_at",
        "expires_at",
        "adverse_notice_sent_at",
    )
    list_filter = ("recommendation",)
    search_fields = ("number", "request__number")
    list_select_related = ("request",)


@admin.register(ScreeningPolicy)
class ScreeningPolicyAdmin(_ReadOnly):
    list_display = (
        "organization",
        "accept_min_score",
        "decline_below_score",
        "accept_max_ratio_bps",
        "decline_above_ratio_bps",
        "conditions_deposit_months",
    )
    list_select_related = ("organization",)
