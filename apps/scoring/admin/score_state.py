"""Admin of the score's life (risk and compliance staff): the fairness report, the access log
(who read whose score, and why: read only), and users' scores — opening one is itself a read,
logged with why="staff"; the list shows no score."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from apps.identity import api as identity

from ..models import Score, ScoreAccess, ScoreHistory

VIEW = "scoring.admin.view"


class _ReadOnly(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": VIEW}

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Score)
class ScoreAdmin(_ReadOnly):
    list_display = ("user", "model_version", "computed_at")
    list_filter = ("model_version",)
    search_fields = ("user__phone", "user__full_name")
    readonly_fields = (
        "user",
        "score",
        "band",
        "loyalty_tier",
        "reasons_",
        "features",
        "model_version",
        "computed_at",
        "history_",
    )
    fields = readonly_fields
    change_list_template = "admin/scoring/score_change_list.html"

    @admin.display(description=_("reasons"))
    def reasons_(self, obj):
        items = (
            (((r.get("text") or {}).get("fr") or r["code"]), r["direction"], r["weight"]) for r in obj.reasons
        )
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} ({}, {})</li>", items))

    @admin.display(description=_("history"))
    def history_(self, obj):
        rows = ScoreHistory.objects.filter(user_id=obj.user_id).order_by("-computed_at", "-id")[:24]
        items = ((h.computed_at.strftime("%Y-%m-%d %H:%M"), h.score or "—", h.band, h.trigger) for h in rows)
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}: {} ({}, {})</li>", items))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        row = Score.objects.filter(pk=object_id).values_list("user_id", flat=True).first()
        if row is not None and self.has_view_permission(request):
            ScoreAccess.objects.create(
                subject_id=row,
                viewer=request.user,
                viewer_label=(request.user.full_name or str(request.user.phone or ""))[:150],
                why="staff",
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path("fairness/", self.admin_site.admin_view(self.fairness_view), name="scoring_score_fairness"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "fairness_url": reverse("admin:scoring_score_fairness")}
        return super().changelist_view(request, extra_context)

    def fairness_view(self, request):
        if not identity.can(request.user, VIEW):
            raise PermissionDenied
        from ..services.fairness import fairness_report

        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Fairness report"),
            "report": fairness_report(),
        }
        return TemplateResponse(request, "admin/scoring/fairness.html", context)


@admin.register(ScoreAccess)
class ScoreAccessAdmin(_ReadOnly):
    list_display = ("accessed_at", "subject", "viewer", "viewer_label", "why")
    list_filter = ("why",)
    search_fields = ("subject__phone", "subject__full_name", "viewer__phone", "viewer_label")
    date_hierarchy = "accessed_at"
    readonly_fields = ("accessed_at", "subject", "viewer", "viewer_label", "why")
    fields = readonly_fields
    list_select_related = ("subject", "viewer")
