"""Admin of rent line disputes (support and compliance staff): the queue, open first, with the
deadline and an « overdue » filter; a dispute is decided once (upheld / rejected, with a note)
on its decide page, through services/disputes.py (audited, the tenant rescored). Never edited
or deleted here."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.identity import api as identity

from ..models import RentLineDispute
from ..services import disputes


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("overdue")), ("no", _("within the deadline"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(status="open", respond_by__lt=today)
        if self.value() == "no":
            return queryset.filter(status="open", respond_by__gte=today)
        return queryset


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (RentLineDispute.Status.UPHELD, _("Upheld: the line leaves the score")),
            (RentLineDispute.Status.REJECTED, _("Rejected: the line stands")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Answer to the tenant"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


@admin.register(RentLineDispute)
class RentLineDisputeAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "scoring.admin.view"}
    list_display = (
        "short_id",
        "month",
        "reason",
        "status",
        "respond_by",
        "overdue_",
        "created_at",
        "decide_",
    )
    list_filter = ("status", OverdueFilter, "reason")
    search_fields = ("public_id", "month", "user__phone", "user__full_name")
    ordering = ("status", "respond_by")
    readonly_fields = (
        "public_id",
        "user",
        "lease",
        "organization",
        "month",
        "reason",
        "details",
        "line",
        "status",
        "respond_by",
        "decided_at",
        "decided_by",
        "decision_note",
        "created_at",
    )
    list_select_related = ("user",)

    @admin.display(description=_("dispute"))
    def short_id(self, obj):
        return str(obj.public_id)[:8]

    @admin.display(description=_("overdue"), boolean=True)
    def overdue_(self, obj):
        return obj.status == "open" and obj.respond_by < timezone.localdate()

    @admin.display(description=_("decide"))
    def decide_(self, obj):
        if obj.status != "open":
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:scoring_rentlinedispute_decide", args=[obj.pk]), _("Decide")
        )

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="scoring_rentlinedispute_decide",
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk):
        dispute = get_object_or_404(RentLineDispute, pk=pk)
        if not identity.can(request.user, disputes.DECIDE, dispute):
            raise PermissionDenied
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                disputes.decide(
                    actor=request.user,
                    dispute=dispute,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Decision recorded; the tenant sees it on their page."))
            return redirect(reverse("admin:scoring_rentlinedispute_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Decide a rent line dispute"),
            "dispute": dispute,
            "form": form,
        }
        return render(request, "scoring/score_admin_decide.html", context)
