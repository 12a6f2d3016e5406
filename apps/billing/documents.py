"""The invoice and the credit note as PDFs (docs/billing.md, "The invoice PDF"), rendered with
WeasyPrint like estate's and recovery's documents: an HTML + CSS template, in French (the
legal language of the invoice), the pay link as a QR code.

Everything printed is what the invoice froze at finalization: the seller (Hokwe's entity of
the invoice's country, `BILLING_SELLER`: name, IFU, RCCM, address) and the buyer (the
customer's legal name, IFU, RCCM, address), the lines with their TVA, the totals. The wording
lives here and in the templates, not in the translation catalogue: a legal document must not
change because a translator rephrased a shared message.

Stored on the invoice's `pdf` field once (`stored_invoice_pdf`): by the handler of
billing.InvoiceFinalized, after the finalization's commit, or on the first download when the
handler has not run yet. An open invoice's stored PDF carries its pay link; the PDF of a paid
or void invoice is drawn again on each download, with its status, and never stored over the
first one."""

from __future__ import annotations

import io
from datetime import date

from babel.dates import format_date
from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation

from apps.core.money import format_amount
from apps.core.templatetags.percent import format_percent_bp

from .contracts import CreditNoteReason, InvoiceKind, InvoiceStatus, LineKind
from .models import CreditNote, Invoice

__all__ = [
    "amount_in_words",
    "credit_note_pdf",
    "invoice_pdf",
    "stored_credit_note_pdf",
    "stored_invoice_pdf",
]

LANGUAGE = "fr"

COUNTRY_NAMES = {
    "BJ": "Bénin",
    "CI": "Côte d'Ivoire",
    "SN": "Sénégal",
    "TG": "Togo",
    "BF": "Burkina Faso",
    "ML": "Mali",
    "NE": "Niger",
}
# What the tax identification number is called in each country (Benin: the IFU).
TAX_ID_LABELS = {"BJ": "IFU", "CI": "NCC", "SN": "NINEA", "TG": "NIF", "BF": "IFU", "ML": "NIF", "NE": "NIF"}
CURRENCY_WORDS = {"XOF": "francs CFA", "XAF": "francs CFA"}

KIND_TITLES = {
    InvoiceKind.SUBSCRIPTION: "Abonnement",
    InvoiceKind.PRORATION: "Changement de formule",
    InvoiceKind.CREDITS: "Crédits prépayés",
    InvoiceKind.ONE_OFF: "Prestation",
}
STATUS_STAMPS = {
    InvoiceStatus.PAID: "Payée",
    InvoiceStatus.VOID: "Annulée",
    InvoiceStatus.UNCOLLECTIBLE: "Impayée",
}
REASON_LABELS = {
    CreditNoteReason.PRORATION: "Partie non utilisée de la période après un changement de formule",
    CreditNoteReason.CORRECTION: "Correction de facture",
    CreditNoteReason.VOID: "Annulation de la facture",
    CreditNoteReason.GOODWILL: "Geste commercial",
}
METHOD_LABELS = {
    "mobile_money": "Mobile Money",
    "card": "carte bancaire",
    "credits": "crédits prépayés",
    "manual": "virement ou espèces",
    "wallet": "portefeuille Hokwe",
    "cash": "espèces",
    "credit_note": "avoir",
    "none": "-",
}


# --- amounts in words (« Arrêtée la présente facture à la somme de … ») ---------------------

_UNITS = (
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize".split()
)
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_100(n: int) -> str:
    if n < 17:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):  # soixante-dix…, quatre-vingt-dix…
        head = "soixante" if tens == 7 else "quatre-vingt"
        rest = 10 + unit
        if tens == 7 and unit == 1:
            return "soixante et onze"
        return f"{head}-{_below_100(rest)}"
    if tens == 8:
        return "quatre-vingts" if unit == 0 else f"quatre-vingt-{_UNITS[unit]}"
    if unit == 0:
        return _TENS[tens]
    if unit == 1:
        return f"{_TENS[tens]} et un"
    return f"{_TENS[tens]}-{_UNITS[unit]}"


def _below_1000(n: int, *, final: bool = True) -> str:
    """`final`: nothing follows (« deux cents », but « deux cent mille »)."""
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        if hundreds == 1:
            words.append("cent")
        else:
            words.append(f"{_UNITS[hundreds]} cent" + ("s" if rest == 0 and final else ""))
    if rest:
        text = _below_100(rest)
        if not final and text.endswith("quatre-vingts"):
            text = text[:-1]
        words.append(text)
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """A whole number in French words (traditional spelling): 118 000 → « cent dix-huit
    mille »; 1 180 000 → « un million cent quatre-vingt mille »."""
    n = int(amount)
    if n == 0:
        return "zéro"
    if n < 0:
        return "moins " + amount_in_words(-n)
    parts = []
    for value, singular, plural in ((10**9, "milliard", "milliards"), (10**6, "million", "millions")):
        count, n = divmod(n, value)
        if count:
            parts.append(f"{amount_in_words(count)} {singular if count == 1 else plural}")
    thousands, n = divmod(n, 1000)
    if thousands:
        parts.append("mille" if thousands == 1 else f"{_below_1000(thousands, final=False)} mille")
    if n:
        parts.append(_below_1000(n))
    return " ".join(parts)


# --- rendering -----------------------------------------------------------------------------


def _date(value: date | None) -> str:
    return format_date(value, "d MMMM y", locale=LANGUAGE) if value else ""


def _money(amount: int, currency: str) -> str:
    return format_amount(amount, currency, LANGUAGE)


def qr_svg(text: str) -> str:
    """An inline SVG QR code (the qrcode library, as payments and estate use)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    with translation.override(LANGUAGE):
        html = render_to_string(template, {**context, "LANGUAGE": LANGUAGE})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _party(data: dict, country: str) -> dict:
    data = dict(data or {})
    return {
        "name": data.get("name", ""),
        "tax_id": data.get("tax_id", ""),
        "rccm": data.get("rccm", ""),
        "address": data.get("address", ""),
        "email": data.get("email", ""),
        "country": COUNTRY_NAMES.get(data.get("country") or country, data.get("country") or country),
    }


def _common(invoice: Invoice) -> dict:
    country = invoice.country
    return {
        "seller": _party(invoice.seller, country),
        "buyer": _party(invoice.buyer, invoice.buyer.get("country", country) if invoice.buyer else country),
        "tax_label": TAX_ID_LABELS.get(country, "IFU"),
        "currency_name": CURRENCY_WORDS.get(invoice.currency, invoice.currency),
    }


def invoice_context(invoice: Invoice, *, pay_url: str = "") -> dict:
    cur = invoice.currency
    lines = []
    exempt = False
    for line in invoice.lines.all():
        unit = (
            line.unit_amount
            if line.unit_amount is not None
            else (line.amount // line.quantity if line.quantity else line.amount)
        )
        exempt = exempt or line.tax_rate_bps == 0
        period = ""
        if line.period_start and line.period_end:
            period = f"du {_date(line.period_start)} au {_date(line.period_end)}"
        lines.append(
            {
                "description": line.description,
                "period": period,
                "quantity": f"{line.quantity:,}".replace(",", "\u202f"),
                "unit": _money(unit, cur),
                "amount": _money(line.amount, cur),
                "rate": format_percent_bp(line.tax_rate_bps, LANGUAGE) if line.tax_rate_bps else "exonéré",
                "tax": _money(line.tax, cur),
                "discount": line.kind == LineKind.DISCOUNT,
            }
        )
    payable = invoice.status in (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE) and invoice.amount_due > 0
    return {
        **_common(invoice),
        "invoice": invoice,
        "title": "Facture" if invoice.status != InvoiceStatus.DRAFT else "Facture (brouillon)",
        "kind": KIND_TITLES.get(invoice.kind, ""),
        "stamp": STATUS_STAMPS.get(invoice.status, ""),
        "issued_on": _date(invoice.issued_on),
        "due_on": _date(invoice.due_on),
        "period": (
            f"du {_date(invoice.period_start)} au {_date(invoice.period_end)}"
            if invoice.period_start and invoice.period_end
            else ""
        ),
        "lines": lines,
        "tva_rate": format_percent_bp(
            max((line.tax_rate_bps for line in invoice.lines.all()), default=0), LANGUAGE
        ),
        "exempt": exempt,
        "subtotal": _money(invoice.subtotal, cur),
        "discount": _money(invoice.discount, cur) if invoice.discount else "",
        "net": _money(invoice.subtotal - invoice.discount, cur),
        "tax": _money(invoice.tax, cur),
        "total": _money(invoice.total, cur),
        "credits_applied": _money(invoice.credits_applied, cur) if invoice.credits_applied else "",
        "amount_paid": _money(invoice.amount_paid, cur) if invoice.amount_paid else "",
        "credited": _money(sum(n.total for n in invoice.credit_notes.all()), cur)
        if invoice.status != InvoiceStatus.DRAFT and invoice.credit_notes.exists()
        else "",
        "amount_due": _money(invoice.amount_due, cur),
        "total_words": amount_in_words(invoice.total),
        "payable": payable,
        "pay_url": pay_url if payable else "",
        "qr": qr_svg(pay_url) if payable and pay_url else "",
        "bank": (settings.BILLING_BANK_DETAILS or {}).get(invoice.country, ""),
        "paid_with": METHOD_LABELS.get(invoice.paid_with, invoice.paid_with),
        "paid_on": _date(timezone.localdate(invoice.paid_at) if invoice.paid_at else None),
    }


def invoice_pdf(invoice: Invoice, *, pay_url: str | None = None) -> bytes:
    """The invoice as PDF bytes (French). `pay_url`: the pay link printed with its QR code on
    an invoice still to pay (default: the invoice's own pay link, made if needed)."""
    invoice = Invoice.objects.select_related("customer").get(pk=invoice.pk)
    if pay_url is None:
        pay_url = ""
        if invoice.status in (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE) and invoice.amount_due > 0:
            from .services.payment import pay_link

            pay_url = pay_link(invoice)
    return render_pdf("billing/pdf/invoice.html", invoice_context(invoice, pay_url=pay_url))


def credit_note_context(note: CreditNote) -> dict:
    invoice = note.invoice
    cur = note.currency
    return {
        **_common(invoice),
        "note": note,
        "invoice": invoice,
        "title": "Facture d'avoir",
        "issued_on": _date(note.issued_on),
        "invoice_issued_on": _date(invoice.issued_on),
        "reason": REASON_LABELS.get(note.reason, note.reason),
        "lines": [
            {
                "description": line.description,
                "amount": _money(line.amount, cur),
                "rate": format_percent_bp(line.tax_rate_bps, LANGUAGE) if line.tax_rate_bps else "exonéré",
                "tax": _money(line.tax, cur),
            }
            for line in note.lines.all()
        ],
        "subtotal": _money(note.subtotal, cur),
        "tax": _money(note.tax, cur),
        "total": _money(note.total, cur),
        "to_invoice": _money(note.to_invoice, cur) if note.to_invoice else "",
        "to_credits": _money(note.to_credits, cur) if note.to_credits else "",
        "total_words": amount_in_words(note.total),
    }


def credit_note_pdf(note: CreditNote) -> bytes:
    """The credit note (facture d'avoir) as PDF bytes (French)."""
    note = CreditNote.objects.select_related("invoice", "customer").get(pk=note.pk)
    return render_pdf("billing/pdf/credit_note.html", credit_note_context(note))


# --- stored copies -------------------------------------------------------------------------


def _read(field) -> bytes:
    with field.open("rb") as stored:
        return stored.read()


def _as_issued(invoice: Invoice) -> bool:
    """Nothing changed since the finalization: still to pay, nothing paid, nothing credited."""
    return (
        invoice.status == InvoiceStatus.OPEN and not invoice.amount_paid and not invoice.credit_notes.exists()
    )


def stored_invoice_pdf(invoice: Invoice) -> bytes:
    """The finalized invoice's PDF: stored once (the first rendering, with its pay link) and
    served as stored while nothing changed; an invoice since paid (in part), credited, void
    or uncollectible is drawn again with what it owes now and its status (the stored copy,
    the invoice as issued, stays). A draft is never stored."""
    invoice = Invoice.objects.get(pk=invoice.pk)
    if invoice.status == InvoiceStatus.DRAFT:
        return invoice_pdf(invoice)
    if invoice.pdf and _as_issued(invoice):
        return _read(invoice.pdf)
    content = invoice_pdf(invoice)
    if not invoice.pdf:
        invoice.pdf.save(f"facture-{invoice.number}.pdf", ContentFile(content), save=False)
        Invoice.objects.filter(pk=invoice.pk, pdf="").update(pdf=invoice.pdf.name)
    return content


def stored_credit_note_pdf(note: CreditNote) -> bytes:
    """The credit note's PDF, stored once on first rendering (a credit note never changes)."""
    note = CreditNote.objects.get(pk=note.pk)
    if note.pdf:
        return _read(note.pdf)
    content = credit_note_pdf(note)
    note.pdf.save(f"avoir-{note.number}.pdf", ContentFile(content), save=False)
    CreditNote.objects.filter(pk=note.pk, pdf="").update(pdf=note.pdf.name)
    return content
