"""Admin of invoices and credit notes (staff; docs/billing.md, "Paying"). Everything is
read-only: an invoice changes only through the invoice core. Finance staff finalize a draft,
void an unpaid invoice, mark one uncollectible (each after a confirmation page), record a bank
transfer and issue a credit note (each on its own form); any staff downloads the PDFs."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.money import format_amount
from apps.identity import api as identity

from ..contracts import CreditNoteReason, InvoiceStatus, LineKind, LineSpec
from ..documents import stored_credit_note_pdf, stored_invoice_pdf
from ..models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from ..services import invoices as core
from ..services import payment

VIEW = "billing.invoice.view"
MANAGE = "billing.invoice.manage"


def _can(request, permission: str) -> bool:
    return request.user.is_superuser or identity.can(request.user, permission)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InvoiceLineInline(_ReadOnlyInline):
    model = InvoiceLine
    fields = ("kind", "description", "quantity", "unit_amount", "amount", "tax_rate_bps", "tax")
    readonly_fields = fields


class CreditNoteLineInline(_ReadOnlyInline):
    model = CreditNoteLine
    fields = ("description", "amount", "tax_rate_bps", "tax")
    readonly_fields = fields


class _ReadOnly(admin.ModelAdmin):
    def has_view_permission(self, request, obj=None):
        return _can(request, VIEW) or super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return _can(request, VIEW) or super().has_module_permission(request)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ManualPaymentForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount received (francs)"), min_value=1)
    paid_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    expected_paid = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I checked that this money reached Hokwe's bank account."), required=True
    )


class CreditNoteForm(forms.Form):
    description = forms.CharField(label=_("What is credited"), max_length=300)
    amount = forms.IntegerField(label=_("Amount before tax (francs)"), min_value=1)
    tax_exempt = forms.BooleanField(label=_("Without TVA"), required=False)
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (CreditNoteReason.CORRECTION.value, _("Correction")),
            (CreditNoteReason.GOODWILL.value, _("Goodwill")),
        ],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    key = forms.CharField(widget=forms.HiddenInput)


@admin.register(Invoice)
class InvoiceAdmin(_ReadOnly):
    list_display = ("__str__", "customer", "kind", "status", "total", "amount_due", "issued_on", "due_on")
    list_filter = ("status", "kind", "country")
    search_fields = ("number", "customer__legal_name", "origin_key")
    list_select_related = ("customer",)
    inlines = [InvoiceLineInline]
    readonly_fields = (
        "customer",
        "subscription",
        "kind",
        "status",
        "number",
        "origin_key",
        "currency",
        "country",
        "period_start",
        "period_end",
        "issued_on",
        "due_on",
        "subtotal",
        "discount",
        "tax",
        "total",
        "credits_applied",
        "amount_paid",
        "amount_due",
        "seller",
        "buyer",
        "finalized_at",
        "paid_at",
        "voided_at",
        "payment_intent",
        "paid_with",
        "documents",
    )
    fields = readonly_fields
    actions = ["finalize", "void", "mark_uncollectible"]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/pdf/", wrap(self.pdf_view), name="billing_invoice_pdf"),
            path("<int:pk>/transfer/", wrap(self.transfer_view), name="billing_invoice_transfer"),
            path("<int:pk>/credit/", wrap(self.credit_view), name="billing_invoice_credit"),
            *super().get_urls(),
        ]

    @admin.display(description=_("Documents and actions"))
    def documents(self, obj):
        links = [(reverse("admin:billing_invoice_pdf", args=[obj.pk]), _("Download the PDF"))]
        if obj.status in (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE) and obj.amount_due:
            links.append(
                (reverse("admin:billing_invoice_transfer", args=[obj.pk]), _("Record a bank transfer"))
            )
        if obj.status in (InvoiceStatus.OPEN, InvoiceStatus.PAID, InvoiceStatus.UNCOLLECTIBLE):
            links.append((reverse("admin:billing_invoice_credit", args=[obj.pk]), _("Issue a credit note")))
        return format_html(
            " · ".join(['<a href="{}">{}</a>'] * len(links)), *[part for link in links for part in link]
        )

    # --- actions (after a confirmation page) -----------------------------------------------

    def _confirmed(self, request, queryset, *, action: str, title, warning):
        if not _can(request, MANAGE):
            raise PermissionDenied
        if request.POST.get("confirmed") == "yes":
            return True
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "warning": warning,
            "invoices": queryset,
            "action": action,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return render(request, "billing/admin/invoice_confirm.html", context)

    def _each(self, request, queryset, service, done):
        count = 0
        for invoice in queryset:
            try:
                service(invoice)
                count += 1
            except DomainError as exc:
                self.message_user(request, f"{invoice}: {exc.message}", messages.ERROR)
        if count:
            self.message_user(request, done % {"n": count}, messages.SUCCESS)

    @admin.action(description=_("Finalize the selected drafts (numbered, posted, sent)"))
    def finalize(self, request, queryset):
        answer = self._confirmed(
            request,
            queryset,
            action="finalize",
            title=_("Finalize these invoices?"),
            warning=_("A finalized invoice gets its number and is never edited again: only credited."),
        )
        if answer is not True:
            return answer
        self._each(request, queryset, core.finalize, _("%(n)s invoice(s) finalized."))
        return None

    @admin.action(description=_("Void the selected unpaid invoices (a credit note reverses each)"))
    def void(self, request, queryset):
        answer = self._confirmed(
            request,
            queryset,
            action="void",
            title=_("Void these invoices?"),
            warning=_("A credit note of the whole invoice is issued and posted. This cannot be undone."),
        )
        if answer is not True:
            return answer
        self._each(request, queryset, core.void, _("%(n)s invoice(s) voided."))
        return None

    @admin.action(description=_("Mark the selected invoices uncollectible (written off)"))
    def mark_uncollectible(self, request, queryset):
        answer = self._confirmed(
            request,
            queryset,
            action="mark_uncollectible",
            title=_("Write these invoices off?"),
            warning=_("What they still owe is written off as bad debt; they stay payable."),
        )
        if answer is not True:
            return answer
        self._each(request, queryset, core.mark_uncollectible, _("%(n)s invoice(s) marked uncollectible."))
        return None

    # --- pages ----------------------------------------------------------------------------

    def pdf_view(self, request, pk: int):
        if not _can(request, VIEW):
            raise PermissionDenied
        invoice = get_object_or_404(Invoice, pk=pk)
        response = HttpResponse(stored_invoice_pdf(invoice), content_type="application/pdf")
        name = invoice.number or f"brouillon-{invoice.public_id}"
        response["Content-Disposition"] = f'attachment; filename="facture-{name}.pdf"'
        return response

    def _form_page(self, request, form, *, invoice, title, intro, submit):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "intro": intro,
            "submit": submit,
            "form": form,
            "invoice": invoice,
        }
        return render(request, "billing/admin/invoice_form.html", context)

    def _back(self, invoice):
        return redirect(reverse("admin:billing_invoice_change", args=[invoice.pk]))

    def transfer_view(self, request, pk: int):
        if not _can(request, MANAGE):
            raise PermissionDenied
        invoice = get_object_or_404(Invoice, pk=pk)
        form = ManualPaymentForm(
            request.POST or None,
            initial={"amount": invoice.amount_due, "expected_paid": invoice.amount_paid},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                payment.record_manual_payment(
                    actor=request.user,
                    invoice=invoice,
                    amount=data["amount"],
                    expected_paid=data["expected_paid"],
                    paid_on=data["paid_on"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(request, _("The transfer is recorded."), messages.SUCCESS)
                return self._back(invoice)
        return self._form_page(
            request,
            form,
            invoice=invoice,
            title=_("Record a bank transfer for %(n)s") % {"n": invoice.number},
            intro=_("Still owed: %(due)s.") % {"due": format_amount(invoice.amount_due, invoice.currency)},
            submit=_("Record the transfer"),
        )

    def credit_view(self, request, pk: int):
        if not _can(request, MANAGE):
            raise PermissionDenied
        invoice = get_object_or_404(Invoice, pk=pk)
        import uuid

        form = CreditNoteForm(request.POST or None, initial={"key": uuid.uuid4().hex})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                core.credit(
                    invoice,
                    lines=[
                        LineSpec(
                            kind=LineKind.OTHER,
                            description=data["description"],
                            amount=data["amount"],
                            tax_exempt=data["tax_exempt"],
                        )
                    ],
                    reason=CreditNoteReason(data["reason"]),
                    origin_key=f"admin:{invoice.public_id}:{data['key']}",
                    note=data["note"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(request, _("The credit note is issued."), messages.SUCCESS)
                return self._back(invoice)
        credited = sum(invoice.credit_notes.values_list("total", flat=True))
        return self._form_page(
            request,
            form,
            invoice=invoice,
            title=_("Issue a credit note on %(n)s") % {"n": invoice.number},
            intro=_(
                "Total %(total)s, already credited %(credited)s. The amount is taxed at the invoice's rate."
            )
            % {
                "total": format_amount(invoice.total, invoice.currency),
                "credited": format_amount(credited, invoice.currency),
            },
            submit=_("Issue the credit note"),
        )


@admin.register(CreditNote)
class CreditNoteAdmin(_ReadOnly):
    list_display = (
        "number",
        "invoice",
        "customer",
        "reason",
        "total",
        "to_invoice",
        "to_credits",
        "issued_on",
    )
    list_filter = ("reason", "country")
    search_fields = ("number", "invoice__number", "customer__legal_name")
    list_select_related = ("invoice", "customer")
    inlines = [CreditNoteLineInline]
    readonly_fields = (
        "invoice",
        "customer",
        "number",
        "reason",
        "currency",
        "subtotal",
        "tax",
        "total",
        "to_invoice",
        "to_credits",
        "issued_on",
        "note",
        "document",
    )
    fields = readonly_fields

    def get_urls(self):
        return [
            path("<int:pk>/pdf/", self.admin_site.admin_view(self.pdf_view), name="billing_creditnote_pdf"),
            *super().get_urls(),
        ]

    @admin.display(description=_("PDF"))
    def document(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:billing_creditnote_pdf", args=[obj.pk]),
            _("Download the PDF"),
        )

    def pdf_view(self, request, pk: int):
        if not _can(request, VIEW):
            raise PermissionDenied
        note = get_object_or_404(CreditNote, pk=pk)
        response = HttpResponse(stored_credit_note_pdf(note), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="avoir-{note.number}.pdf"'
        return response
