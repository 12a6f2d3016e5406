"""Invoices, their lines and credit notes (docs/billing.md, "Invoices"). A finalized invoice
is numbered without gaps per country and year and never edited: only credited."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

from ..contracts import CreditNoteReason, InvoiceKind, InvoiceStatus, LineKind
from .catalog import _choices
from .subscriptions import Customer, Subscription

__all__ = ["CreditNote", "CreditNoteLine", "Invoice", "InvoiceLine"]

INVOICE_STATUS_LABELS = {
    InvoiceStatus.DRAFT: _("draft"),
    InvoiceStatus.OPEN: _("to pay"),
    InvoiceStatus.PAID: _("paid"),
    InvoiceStatus.VOID: _("void"),
    InvoiceStatus.UNCOLLECTIBLE: _("uncollectible"),
}


class Invoice(BaseModel):
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="invoices")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="invoices", null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=12, choices=_choices(InvoiceKind))
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=_choices(InvoiceStatus, INVOICE_STATUS_LABELS),
        default=InvoiceStatus.DRAFT,
    )
    # what made it, once: "renewal:<subscription>:<period start>", "change:<change key>", …
    origin_key = models.CharField(_("origin"), max_length=200, unique=True)
    number = models.CharField(_("number"), max_length=40, blank=True, default="")
    currency = models.CharField(_("currency"), max_length=3)
    country = models.CharField(_("country"), max_length=2)  # numbering series and TVA rate
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    subtotal = models.BigIntegerField(_("subtotal before tax"), default=0)
    discount = models.BigIntegerField(_("discounts"), default=0)
    tax = models.BigIntegerField(_("TVA"), default=0)
    total = models.BigIntegerField(_("total including tax"), default=0)
    credits_applied = models.BigIntegerField(_("paid from prepaid credits"), default=0)
    amount_paid = models.BigIntegerField(_("amount paid"), default=0)
    amount_due = models.BigIntegerField(_("amount due"), default=0)
    # what the PDF prints, frozen at finalization (seller = Hokwe's entity of the country)
    seller = models.JSONField(_("seller"), default=dict, blank=True)
    buyer = models.JSONField(_("buyer"), default=dict, blank=True)
    finalized_at = models.DateTimeField(_("finalized at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    payment_intent = models.UUIDField(_("payment intent"), null=True, blank=True)
    paid_with = models.CharField(_("paid with"), max_length=14, blank=True, default="")
    pdf = models.FileField(_("PDF"), upload_to="billing/invoices/%Y/", blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "number"], condition=~Q(number=""), name="billing_invoice_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(number=""), name="billing_final_has_number"
            ),
            models.CheckConstraint(condition=Q(amount_due__gte=0), name="billing_amount_due_not_negative"),
        ]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="billing_invoice_customer_idx"),
            models.Index(fields=["status", "due_on"], name="billing_invoice_due_idx"),
        ]

    def __str__(self):
        return self.number or str(_("draft invoice"))


class InvoiceLine(BaseModel):
    """Amounts before tax; `tax` is this line's TVA (`tax_rate_bps` of `amount`, rounded half
    up to the franc). The invoice's tax is the sum of its lines' tax."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=_choices(LineKind))
    description = models.CharField(_("description"), max_length=300)
    quantity = models.BigIntegerField(_("quantity"), default=1)
    unit_amount = models.BigIntegerField(_("unit price"), null=True, blank=True)
    amount = models.BigIntegerField(_("amount before tax"))
    tax_rate_bps = models.PositiveIntegerField(_("TVA rate (basis points)"), default=0)
    tax = models.BigIntegerField(_("TVA"), default=0)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    metric = models.CharField(max_length=60, blank=True, default="")
    price = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["position", "id"]


class CreditNote(BaseModel):
    """A correction of a finalized invoice, numbered in its own gapless series. Its total goes
    to the customer's prepaid credits (or reduces what the invoice still owes)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="credit_notes")
    origin_key = models.CharField(_("origin"), max_length=200, unique=True)
    number = models.CharField(_("number"), max_length=40)
    reason = models.CharField(_("reason"), max_length=12, choices=_choices(CreditNoteReason))
    currency = models.CharField(_("currency"), max_length=3)
    country = models.CharField(_("country"), max_length=2)
    subtotal = models.BigIntegerField(_("amount before tax"), default=0)
    tax = models.BigIntegerField(_("TVA"), default=0)
    total = models.BigIntegerField(_("total including tax"), default=0)
    to_credits = models.BigIntegerField(_("credited to prepaid credits"), default=0)
    to_invoice = models.BigIntegerField(_("deducted from the invoice"), default=0)
    issued_on = models.DateField(_("issued on"))
    note = models.CharField(_("note"), max_length=300, blank=True, default="")
    pdf = models.FileField(_("PDF"), upload_to="billing/credit-notes/%Y/", blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["country", "number"], name="billing_credit_note_number_unique"),
            models.CheckConstraint(
                condition=Q(total=models.F("to_credits") + models.F("to_invoice")), name="billing_cn_split"
            ),
        ]


class CreditNoteLine(BaseModel):
    credit_note = models.ForeignKey(CreditNote, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("description"), max_length=300)
    amount = models.BigIntegerField(_("amount before tax"))
    tax_rate_bps = models.PositiveIntegerField(default=0)
    tax = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
