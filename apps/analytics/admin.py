"""Back-office: every model, money read-only."""

from django.contrib import admin

from apps.identity.api import PolicyAdminMixin

from .models import ReportDelivery, ReportSubscription

# --- scheduled reports: support staff may pause a subscription; deliveries are a record ---


class ReportDeliveryInline(PolicyAdminMixin, admin.TabularInline):
    model = ReportDelivery
    policy_permissions = {"view": "analytics.admin.view"}
    fields = ("period_start", "period_end", "status", "sent_at", "error")
    readonly_fields = fields
    extra = 0
    ordering = ("-period_start",)


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "analytics.admin.view", "change": "analytics.admin.change"}
    list_display = ("user", "organization", "report", "frequency", "is_active", "last_period")
    list_filter = ("report", "frequency", "is_active")
    search_fields = ("user__full_name", "user__email", "organization")
    readonly_fields = ("organization", "user", "report", "frequency", "filters", "last_period", "created_by")
    fields = (*readonly_fields, "is_active")
    list_select_related = ("user",)
    inlines = [ReportDeliveryInline]


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "analytics.admin.view"}
    list_display = ("subscription", "period_start", "period_end", "status", "sent_at")
    list_filter = ("status",)
    list_select_related = ("subscription",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


# --- product analytics: the export's progress, payments' outcomes, funnels and retention (staff) ---
from datetime import timedelta as _timedelta  # noqa: E402

from django.contrib import admin as _admin  # noqa: E402
from django.template.response import TemplateResponse as _TemplateResponse  # noqa: E402
from django.urls import path as _path  # noqa: E402
from django.utils import timezone as _timezone  # noqa: E402
from django.utils.translation import gettext_lazy as _tr  # noqa: E402

from apps.identity.api import PolicyAdminMixin as _PolicyAdminMixin  # noqa: E402

from .models import ExportCursor as _ExportCursor  # noqa: E402


def _product_int(request, name: str, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(request.GET.get(name, default))))
    except (TypeError, ValueError):
        return default


@_admin.register(_ExportCursor)
class ExportCursorAdmin(_PolicyAdminMixin, _admin.ModelAdmin):
    """Where the export to PostHog or Matomo stands; the product analytics page hangs here
    (admin/analytics/exportcursor/product/)."""

    policy_permissions = {"view": "analytics.admin.view"}
    list_display = ("provider", "received_at", "exported", "leased_until", "last_error")
    change_list_template = "analytics/admin/exportcursor_changelist.html"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def get_urls(self):
        view = self.admin_site.admin_view(self.product_view)
        return [_path("product/", view, name="analytics_product"), *super().get_urls()]

    def product_view(self, request):
        from django.core.exceptions import PermissionDenied

        from .services.monitoring import payment_success_rates
        from .services.product import EVENT_NAMES, product_funnel, product_retention

        if not self.has_view_permission(request):
            raise PermissionDenied
        days = _product_int(request, "days", 30, 1, 400)
        window_hours = _product_int(request, "window", 72, 1, 24 * 90)
        period = "month" if request.GET.get("period") == "month" else "week"
        raw_steps = request.GET.get("steps") or "avis.received,pay_link.opened,payment.paid"
        steps = [s.strip() for s in raw_steps.split(",") if s.strip()][:8]
        until = _timezone.now()
        since = until - _timedelta(days=days)
        funnel = product_funnel(steps=steps, since=since, until=until, window=_timedelta(hours=window_hours))
        cohorts = product_retention(since=since, until=until, period=period, periods=8)
        context = {
            **self.admin_site.each_context(request),
            "title": _tr("Product analytics"),
            "opts": self.model._meta,
            "funnel": funnel,
            "cohorts": cohorts,
            "steps": ",".join(steps),
            "days": days,
            "window": window_hours,
            "period": period,
            "periods": range(8),
            "names": sorted(EVENT_NAMES),
            "rates": payment_success_rates(since=(until - _timedelta(days=days)).date()),
        }
        return _TemplateResponse(request, "analytics/admin/product.html", context)


# --- rollups: the staff dashboard across organizations, the figures, and their drift ---
from django.contrib import messages as _messages  # noqa: E402

from .models import Drift as _Drift  # noqa: E402
from .models import Rollup as _Rollup  # noqa: E402


@_admin.register(_Rollup)
class RollupAdmin(_PolicyAdminMixin, _admin.ModelAdmin):
    """The figures kept (read-only); the staff dashboard hangs here (admin/analytics/rollup/dashboard/)."""

    policy_permissions = {"view": "analytics.admin.view"}
    list_display = (
        "metric",
        "organization",
        "scope",
        "scope_id",
        "grain",
        "period",
        "dimension",
        "value",
        "count",
    )
    list_filter = ("grain", "scope", "metric")
    search_fields = ("organization", "scope_id")
    date_hierarchy = "period"
    change_list_template = "analytics/admin/rollup_changelist.html"
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def get_urls(self):
        view = self.admin_site.admin_view(self.dashboard_view)
        return [_path("dashboard/", view, name="analytics_dashboard"), *super().get_urls()]

    def dashboard_view(self, request):
        from django.core.exceptions import PermissionDenied

        from apps.core.money import format_amount

        from .services.dashboard import staff_dashboard

        if not self.has_view_permission(request):
            raise PermissionDenied
        board = staff_dashboard(today=_timezone.localdate())
        language = request.LANGUAGE_CODE or "fr"
        from apps.identity import api as identity

        pks = identity.organization_ids([o for o, _v, _c in board.top])
        names = {str(public_id): identity.get_organization(id=pk).name for public_id, pk in pks.items()}
        context = {
            **self.admin_site.each_context(request),
            "title": _tr("Hokwe at a glance"),
            "opts": self.model._meta,
            "board": board,
            "gmv": [
                (
                    cur,
                    format_amount(v, cur, language),
                    format_amount(board.gmv_previous.get(cur, 0), cur, language),
                )
                for cur, v in sorted(board.gmv.items())
            ],
            "providers": [
                (p or "—", ok, failed, f"{ok * 100 / (ok + failed):.1f} %" if ok + failed else "—")
                for p, (ok, failed) in sorted(board.success.items())
            ],
            "top": [(names.get(o, o), format_amount(v, c, language)) for o, v, c in board.top],
            "platform": [
                *(
                    (_tr("Monthly recurring revenue (subscriptions)"), format_amount(v, c, language))
                    for c, v in sorted(board.mrr.items())
                ),
                *(
                    (_tr("Loan book: PAR30"), f"{bps / 100:.2f} % ({c})")
                    for c, bps in sorted(board.par30_bps.items())
                ),
                *(
                    (_tr("Tontine contributions this month"), format_amount(v, c, language))
                    for c, v in sorted(board.tontine.items())
                ),
            ],
        }
        return _TemplateResponse(request, "analytics/admin/dashboard.html", context)


@_admin.register(_Drift)
class DriftAdmin(_PolicyAdminMixin, _admin.ModelAdmin):
    """Figures that differed from their source rows the next night; « Repair » sets the
    organization's day and month to the source's."""

    policy_permissions = {"view": "analytics.admin.view", "change": "analytics.admin.change"}
    list_display = (
        "day",
        "organization",
        "metric",
        "dimension",
        "rollup_value",
        "source_value",
        "repaired_at",
    )
    list_filter = ("metric", ("repaired_at", _admin.EmptyFieldListFilter))
    date_hierarchy = "day"
    actions = ["repair"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    @_admin.action(description=_tr("Repair: set the figure to the source's"))
    def repair(self, request, queryset):
        from .services.nightly import repair_drift

        if not self.has_change_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        done = 0
        for drift in queryset.filter(repaired_at__isnull=True):
            repair_drift(drift)
            done += 1
        self.message_user(request, _tr("%(n)d figures repaired.") % {"n": done}, _messages.SUCCESS)
