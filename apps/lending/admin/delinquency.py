"""Admin of delinquency (credit staff): the portfolio at risk (PAR30, PAR90 per currency and
bucket, checked against the ledger, the trend of the nightly snapshots) and the loan book
export; restructuring and write-off, each on its own page with a form and a reason (the
services audit them); the restructurings, write-offs and handovers to recovery, read-only."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.identity import api as identity

from ..contracts import LoanStatus
from ..models import AgingSnapshot, Loan, LoanHandover, Restructuring, WriteOff
from ..services import reports
from ..services.restructure import restructure
from ..services.write_off import write_off

RESTRUCTURE = "lending.loan.restructure"
WRITE_OFF = "lending.loan.write_off"
REPORTS = "lending.report.view"
VIEW = "lending.admin.view"


class _ReadOnly(admin.ModelAdmin):
    def has_view_permission(self, request, obj=None):
        return identity.can(request.user, VIEW) or super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return identity.can(request.user, VIEW) or super().has_module_permission(request)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _active_loan(number: str) -> Loan:
    loan = Loan.objects.filter(number=number.strip()).first()
    if loan is None:
        raise forms.ValidationError(_("No loan has this number."))
    if loan.status != LoanStatus.ACTIVE:
        raise forms.ValidationError(_("Only a loan being repaid can be restructured or written off."))
    return loan


class RestructureForm(forms.Form):
    loan = forms.CharField(label=_("Loan number"), max_length=30)
    term = forms.IntegerField(label=_("New term (instalments)"), min_value=1, max_value=120)
    first_due_date = forms.DateField(
        label=_("New first due date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    annual_rate_bps = forms.IntegerField(
        label=_("New nominal annual rate (basis points)"),
        min_value=0,
        required=False,
        help_text=_("Empty: the loan's own rate."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_loan(self):
        return _active_loan(self.cleaned_data["loan"])

    def clean_first_due_date(self):
        value = self.cleaned_data["first_due_date"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("The new first due date must be after today."))
        return value


class WriteOffForm(forms.Form):
    loan = forms.CharField(label=_("Loan number"), max_length=30)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(
        label=_("I understand that what the loan owes leaves the loan book for good."), required=True
    )

    def clean_loan(self):
        return _active_loan(self.cleaned_data["loan"])


def _form_page(admin_obj, request, form, *, title, intro, submit):
    context = {
        **admin_obj.admin_site.each_context(request),
        "opts": admin_obj.model._meta,
        "title": title,
        "intro": intro,
        "submit": submit,
        "form": form,
    }
    return render(request, "lending/delinquency_admin_form.html", context)


@admin.register(Restructuring)
class RestructuringAdmin(_ReadOnly):
    list_display = ("loan", "owed", "term", "annual_rate_bps", "first_due_date", "actor", "created_at")
    search_fields = ("loan__number", "reason")
    readonly_fields = (
        "loan",
        "from_version",
        "to_version",
        "owed",
        "term",
        "annual_rate_bps",
        "first_due_date",
        "old_schedule",
        "new_schedule",
        "reason",
        "actor",
        "created_at",
    )
    change_list_template = "lending/delinquency_admin_changelist.html"

    def get_urls(self):
        return [
            path("new/", self.admin_site.admin_view(self.restructure_view), name="lending_restructuring_new"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {
            "action_url": reverse("admin:lending_restructuring_new"),
            "action_label": _("Restructure a loan"),
        }
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def restructure_view(self, request):
        if not identity.can(request.user, RESTRUCTURE):
            raise PermissionDenied
        form = RestructureForm(request.POST or None, initial={"loan": request.GET.get("loan", "")})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                row = restructure(
                    loan=data["loan"],
                    actor=request.user,
                    reason=data["reason"],
                    term=data["term"],
                    first_due_date=data["first_due_date"],
                    annual_rate_bps=data["annual_rate_bps"],
                )
            except ValueError:
                form.add_error("term", _("No schedule is possible with these terms: fewer instalments."))
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("The loan has a new schedule."))
                return redirect(reverse("admin:lending_restructuring_change", args=[row.pk]))
        return _form_page(
            self,
            request,
            form,
            title=_("Restructure a loan"),
            intro=_(
                "Everything the loan owes today (principal, interest and fees billed, late fees) "
                "becomes the principal of a new schedule. The unpaid instalments are kept, "
                "superseded. Recorded with your name and the reason."
            ),
            submit=_("Restructure"),
        )


@admin.register(WriteOff)
class WriteOffAdmin(_ReadOnly):
    list_display = ("loan", "amount", "currency", "from_provisions", "to_expense", "bucket", "written_off_on")
    list_filter = ("bucket", "currency")
    search_fields = ("loan__number", "reason")
    readonly_fields = (
        "loan",
        "currency",
        "amount",
        "principal",
        "interest",
        "fees",
        "from_provisions",
        "to_expense",
        "bucket",
        "days_past_due",
        "written_off_on",
        "transfer",
        "reason",
        "actor",
    )
    change_list_template = "lending/delinquency_admin_changelist.html"

    def get_urls(self):
        return [
            path("new/", self.admin_site.admin_view(self.write_off_view), name="lending_writeoff_new"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"action_url": reverse("admin:lending_writeoff_new"), "action_label": _("Write off a loan")}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def write_off_view(self, request):
        if not identity.can(request.user, WRITE_OFF):
            raise PermissionDenied
        form = WriteOffForm(request.POST or None, initial={"loan": request.GET.get("loan", "")})
        if request.method == "POST" and form.is_valid():
            try:
                row = write_off(
                    loan=form.cleaned_data["loan"], actor=request.user, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("The loan is written off."))
                return redirect(reverse("admin:lending_writeoff_change", args=[row.pk]))
        return _form_page(
            self,
            request,
            form,
            title=_("Write off a loan"),
            intro=_(
                "The pledged savings still held pay the loan first; what it still owes then "
                "leaves the loan book: the allowance for losses first, the rest as an expense. "
                "This cannot be undone. Recorded with your name and the reason."
            ),
            submit=_("Write off"),
        )


@admin.register(LoanHandover)
class LoanHandoverAdmin(_ReadOnly):
    list_display = ("loan", "bucket", "amount", "handed_over_on", "case")
    list_filter = ("bucket",)
    search_fields = ("loan__number",)


@admin.register(AgingSnapshot)
class AgingSnapshotAdmin(_ReadOnly):
    list_display = ("day", "currency", "bucket", "loans", "outstanding", "provision")
    list_filter = ("currency", "bucket")
    date_hierarchy = "day"
    change_list_template = "lending/delinquency_admin_changelist.html"

    def get_urls(self):
        return [
            path("par/", self.admin_site.admin_view(self.par_view), name="lending_par_report"),
            path("book.csv", self.admin_site.admin_view(self.book_view), name="lending_loan_book"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"action_url": reverse("admin:lending_par_report"), "action_label": _("Portfolio at risk")}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def par_view(self, request):
        if not identity.can(request.user, REPORTS):
            raise PermissionDenied
        today = timezone.localdate()
        rows = reports.par_report(today=today)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Portfolio at risk"),
            "reports": [
                {"report": r, "trend": reports.par_trend(currency=r.currency, days=30)} for r in rows
            ],
            "today": today,
            "since": today - timedelta(days=30),
        }
        return render(request, "lending/delinquency_admin_par.html", context)

    def book_view(self, request):
        if not identity.can(request.user, REPORTS):
            raise PermissionDenied
        response = StreamingHttpResponse(reports.loan_book_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="loan-book-{timezone.localdate().isoformat()}.csv"'
        )
        return response
