"""Admin of scoring's valuation part: the HokweValuation model versions (ValuationModel). Read
only: each version shows where it was trained, its held-out errors (median absolute percentage
error, share within ±10 %, for the comparables, the model, the blend and, on generated data,
the noise floor), the range's coverage and why a refused version was refused. Risk staff
activate a version (an action): its load checks run first, and a refused version leaves the
active one in place (services/valuation_model.py activate_version)."""

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from apps.identity import api as identity

from ..errors import ModelRejected
from ..models import ValuationModel
from ..services import valuation_model

ACTIVATE = "scoring.model.activate"


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1%}"


@admin.register(ValuationModel)
class ValuationModelAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "scoring.admin.view"}
    list_display = (
        "version",
        "active",
        "source",
        "rows",
        "median_error_",
        "within_10_",
        "rejected_reason",
        "created_at",
    )
    list_filter = ("active", "source")
    search_fields = ("version",)
    ordering = ("-created_at",)
    actions = ("activate_version",)
    fields = ("version", "active", "source", "rows", "sha256", "created_at", "rejected_reason", "metrics_")
    readonly_fields = fields

    @admin.display(description=_("median error"))
    def median_error_(self, obj):
        return _pct(((obj.metrics or {}).get("blend") or {}).get("mdape"))

    @admin.display(description=_("within ±10 %"))
    def within_10_(self, obj):
        return _pct(((obj.metrics or {}).get("blend") or {}).get("within_10"))

    @admin.display(description=_("held-out metrics"))
    def metrics_(self, obj):
        metrics = obj.metrics or {}
        rows = [
            (
                label,
                _pct((metrics.get(key) or {}).get("mdape")),
                _pct((metrics.get(key) or {}).get("within_10")),
            )
            for key, label in (
                ("comparables", _("comparables")),
                ("model", _("model")),
                ("blend", _("blend (shown)")),
                ("noise_floor", _("noise floor")),
            )
            if metrics.get(key)
        ]
        table = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html(
            "<table><thead><tr><th></th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table><p>{}: {}</p>",
            _("median error"),
            _("within ±10 %"),
            table,
            _("range coverage"),
            _pct(metrics.get("range_coverage")),
        )

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_activate_permission(self, request):
        return identity.can(request.user, ACTIVATE)

    @admin.action(description=_("Activate the selected version"), permissions=["activate"])
    def activate_version(self, request, queryset):
        rows = list(queryset[:2])
        if len(rows) != 1:
            self.message_user(request, _("Select exactly one version to activate."), messages.WARNING)
            return
        try:
            row = valuation_model.activate_version(rows[0].version, actor=request.user)
        except ModelRejected as refused:
            self.message_user(request, str(refused.message), messages.ERROR)
            return
        self.message_user(request, _("Version %(version)s is now active.") % {"version": row.version})
