"""Admin of scoring's score part: the scorecard versions (ScoreModel). Read only: each version
shows its variables (direction, bins, weights of evidence, coefficients and the points they
give), what training left out and why, and its held-out metrics (AUC, KS, Gini, calibration).
Risk staff activate a version (an action): its spec is checked first, and a refused version
leaves the active one in place (services/model.py activate)."""

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from apps.identity import api as identity

from ..errors import ModelRejected
from ..models import ScoreModel
from ..services import model as scorecard

ACTIVATE = "scoring.model.activate"


def _metric(obj, name):
    value = (obj.metrics or {}).get("held_out", {}).get(name)
    return "—" if value is None else f"{value:.3f}"


def _bin_label(cuts, i):
    low = None if i == 0 else cuts[i - 1]
    high = None if i == len(cuts) else cuts[i]
    if low is None and high is None:
        return _("every value")
    if low is None:
        return f"< {high:g}"
    if high is None:
        return f"≥ {low:g}"
    return f"[{low:g}, {high:g})"


@admin.register(ScoreModel)
class ScoreModelAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "scoring.admin.view"}
    list_display = ("version", "active", "trained_on", "auc_", "ks_", "gini_", "created_at")
    list_filter = ("active",)
    search_fields = ("version", "trained_on")
    ordering = ("-created_at",)
    actions = ("activate_version",)
    fields = ("version", "active", "trained_on", "created_at", "metrics_", "coefficients_", "dropped_")
    readonly_fields = fields

    @admin.display(description=_("AUC"))
    def auc_(self, obj):
        return _metric(obj, "auc")

    @admin.display(description=_("KS"))
    def ks_(self, obj):
        return _metric(obj, "ks")

    @admin.display(description=_("Gini"))
    def gini_(self, obj):
        return _metric(obj, "gini")

    @admin.display(description=_("coefficients"))
    def coefficients_(self, obj):
        spec = obj.spec or {}
        problems = scorecard.check_spec(spec)
        head = format_html(
            "<p>{}: {} · {}: {}</p>",
            _("intercept"),
            spec.get("intercept", "—"),
            _("checks"),
            "; ".join(problems) if problems else _("passed"),
        )
        factor = (spec.get("scaling") or {}).get("pdo", 50) / 0.6931471805599453
        rows = []
        for var in spec.get("variables", []):
            cuts, woe, coef = var.get("cuts", []), var.get("woe", []), var.get("coef")
            bins = format_html_join(
                ", ",
                "{}: {} ({})",
                (
                    (
                        _bin_label(cuts, i),
                        f"{w:+.2f}",
                        "—" if coef is None else f"{-factor * coef * w:+.0f} pts",
                    )
                    for i, w in enumerate(woe)
                ),
            )
            rows.append(
                (
                    var.get("name"),
                    var.get("direction"),
                    "—" if coef is None else f"{coef:.4f}",
                    var.get("iv", "—"),
                    bins,
                )
            )
        table = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html(
            "{}<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            head,
            _("variable"),
            _("direction"),
            _("coefficient"),
            _("information value"),
            _("bins: weight of evidence (points)"),
            table,
        )

    @admin.display(description=_("left out"))
    def dropped_(self, obj):
        dropped = (obj.spec or {}).get("dropped") or {}
        if not dropped:
            return "—"
        return format_html_join(mark_safe("<br>"), "{}: {}", sorted(dropped.items()))

    @admin.display(description=_("held-out metrics"))
    def metrics_(self, obj):
        held = (obj.metrics or {}).get("held_out") or {}
        if not held:
            return "—"
        summary = format_html(
            "<p>{} {} · {} {} · AUC {} · KS {} · Gini {} · Brier {}</p>",
            held.get("rows"),
            _("rows"),
            _("bad rate"),
            f"{held.get('bad_rate', 0):.1%}",
            held.get("auc"),
            held.get("ks"),
            held.get("gini"),
            held.get("brier"),
        )
        calibration = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (i + 1, row["rows"], f"{row['predicted']:.1%}", f"{row['observed']:.1%}")
                for i, row in enumerate(held.get("calibration", []))
            ),
        )
        return format_html(
            "{}<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            summary,
            _("risk decile"),
            _("rows"),
            _("predicted"),
            _("observed"),
            calibration,
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
            row = scorecard.activate(rows[0].version, actor=request.user)
        except ModelRejected as refused:
            self.message_user(request, str(refused.message), messages.ERROR)
            return
        self.message_user(request, _("Version %(version)s is now active.") % {"version": row.version})
