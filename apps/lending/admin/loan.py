"""Admin of loans (credit staff): the loan book with its filters (status, bucket, product,
borrower, destination, « to review »), each loan's detail with its instalments and its
disbursement, and the manual review: an application in the grey band is decided on its
decide page (approve or decline, with the reason: audited) through services/applications.py.
Loans are never added, edited or deleted here."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.identity import api as identity

from ..contracts import LoanStatus
from ..models import Disbursement, Instalment, Loan
from ..services import applications


class ReviewQueueFilter(admin.SimpleListFilter):
    title = _("manual review")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("review", _("to review"))]

    def queryset(self, request, queryset):
        if self.value() == "review":
            return queryset.filter(status=LoanStatus.REVIEW).order_by("created_at")
        return queryset


class InstalmentInline(identity.PolicyAdminMixin, admin.TabularInline):
    policy_permissions = {"view": "lending.admin.view"}
    model = Instalment
    extra = 0
    can_delete = False
    fields = (
        "number",
        "version",
        "due_date",
        "principal",
        "interest",
        "fee",
        "penalty",
        "paid_principal",
        "paid_interest",
        "paid_fee",
        "status",
        "paid_on",
        "superseded",
    )
    readonly_fields = fields
    ordering = ("version", "number")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DisbursementInline(identity.PolicyAdminMixin, admin.StackedInline):
    policy_permissions = {"view": "lending.admin.view"}
    model = Disbursement
    extra = 0
    can_delete = False
    fields = (
        "status",
        "net_amount",
        "fee",
        "to_due",
        "to_wallet",
        "to_owner",
        "intent",
        "attempts",
        "last_error",
        "done_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve: the borrower receives the offer")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (kept with the loan and in the audit log)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
    )


@admin.register(Loan)
class LoanAdmin(identity.PolicyAdminMixin, admin.ModelAdmin):
    policy_permissions = {"view": "lending.admin.view"}
    list_display = (
        "number",
        "borrower",
        "product",
        "principal",
        "currency",
        "status",
        "score_band",
        "bucket",
        "created_at",
        "decide_",
    )
    list_filter = (ReviewQueueFilter, "status", "bucket", "product", "borrower_kind", "destination")
    search_fields = ("number", "public_id", "borrower__phone", "borrower__full_name")
    ordering = ("-created_at",)
    list_select_related = ("borrower", "product")
    inlines = (DisbursementInline, InstalmentInline)
    readonly_fields = [f.name for f in Loan._meta.fields] + ["reasons_"]

    @admin.display(description=_("decision reasons"))
    def reasons_(self, obj):
        return (
            "; ".join(applications.reason_text(r.get("code", "")) for r in obj.decision_reasons or []) or "—"
        )

    @admin.display(description=_("decide"))
    def decide_(self, obj):
        if obj.status != LoanStatus.REVIEW:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:lending_loan_decide", args=[obj.pk]), _("Decide")
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
                "<int:pk>/decide/", self.admin_site.admin_view(self.decide_view), name="lending_loan_decide"
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk):
        loan = get_object_or_404(Loan.objects.select_related("borrower", "product"), pk=pk)
        if not identity.can(request.user, applications.REVIEW_PERMISSION, loan):
            raise PermissionDenied
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                applications.decide_manually(
                    actor=request.user,
                    loan=loan,
                    approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Decision recorded: the borrower sees it in their loans."))
            return redirect(reverse("admin:lending_loan_changelist") + "?queue=review")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Decide a loan application"),
            "loan": loan,
            "reasons": [applications.reason_text(r.get("code", "")) for r in loan.decision_reasons or []],
            "form": form,
        }
        return render(request, "lending/loan_admin_decide.html", context)
