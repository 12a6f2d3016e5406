"""PDF documents (WeasyPrint, French by default): the rent receipt (quittance) with its QR
code, the notice of rent due (avis d'échéance), the owner statement (relevé de gérance),
the lease from its template and the inspection (état des lieux).

A receipt is drawn from its frozen snapshot, never from the lease as it is now."""

from __future__ import annotations

import io
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from apps.core.money import format_amount

from .models import Inspection, Lease, OwnerStatement, Quittance, RentDue, method_label
from .services import period_label


def public_url(path: str) -> str:
    base = settings.ESTATE_PUBLIC_BASE_URL or settings.PAYMENT_PUBLIC_BASE_URL or "https://hokwe.com"
    return f"{base.rstrip('/')}{path}"


def verification_url(code: str) -> str:
    return public_url(reverse("estate:receipt-verify", args=[code]))


def qr_svg(text: str) -> str:
    """An inline SVG QR code (qrcode, already used by payments)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def render_pdf(template: str, context: dict, *, language: str = "fr") -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template, {**context, "LANGUAGE": language})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def quittance_pdf(quittance: Quittance, *, language: str = "fr") -> bytes:
    s = quittance.snapshot
    cur = s["currency"]
    url = verification_url(quittance.code)
    return render_pdf(
        "estate/pdf/quittance.html",
        {
            "q": quittance,
            "s": s,
            "rent": format_amount(s["rent"], cur, language),
            "charges": format_amount(s["charges"], cur, language),
            "adjustments": format_amount(s["adjustments"], cur, language) if s["adjustments"] else "",
            "total": format_amount(s["total"], cur, language),
            "payments": [
                {
                    **p,
                    "amount": format_amount(p["amount"], cur, language),
                    "date": date.fromisoformat(p["date"]) if p.get("date") else None,
                    "method": method_label(p.get("method", "")),
                }
                for p in s["payments"]
            ],
            "qr": qr_svg(url),
            "url": url,
        },
        language=language,
    )


def notice_pdf(due: RentDue, *, language: str = "fr") -> bytes:
    lease = (
        Lease.objects.select_related("organization", "unit__property__owner")
        .prefetch_related("lease_tenants__user")
        .get(pk=due.lease_id)
    )
    pay = public_url(reverse("estate:pay-due", args=[due.pay_token]))
    return render_pdf(
        "estate/pdf/notice.html",
        {
            "due": due,
            "lease": lease,
            "tenants": [t.user.full_name or str(t.user.phone) for t in lease.lease_tenants.all()],
            "period": period_label(due.period, language),
            "rent": format_amount(due.rent, due.currency, language),
            "charges": format_amount(due.charges, due.currency, language),
            "adjustments": format_amount(due.adjustments, due.currency, language) if due.adjustments else "",
            "total": format_amount(due.total, due.currency, language),
            "outstanding": format_amount(due.outstanding, due.currency, language),
            "pay_url": pay,
            "qr": qr_svg(pay),
        },
        language=language,
    )


def statement_pdf(statement: OwnerStatement, *, language: str = "fr") -> bytes:
    cur = statement.currency
    lines = statement.lines or {}
    return render_pdf(
        "estate/pdf/statement.html",
        {
            "st": statement,
            "period": period_label(statement.period, language),
            "collected": format_amount(statement.collected, cur, language),
            "commission": format_amount(statement.commission, cur, language),
            "expenses": format_amount(statement.expenses, cur, language),
            "carried": format_amount(statement.carried_over, cur, language) if statement.carried_over else "",
            "net": format_amount(statement.net, cur, language),
            "properties": [
                {
                    **p,
                    "collected": format_amount(p["collected"], cur, language),
                    "commission": format_amount(p["commission"], cur, language),
                }
                for p in lines.get("properties", [])
            ],
            "expense_rows": [
                {**e, "amount": format_amount(e["amount"], cur, language)} for e in lines.get("expenses", [])
            ],
        },
        language=language,
    )


def lease_pdf(lease: Lease, *, language: str = "fr") -> bytes:
    lease = (
        Lease.objects.select_related("organization", "unit__property__owner")
        .prefetch_related("lease_tenants__user")
        .get(pk=lease.pk)
    )
    cur = lease.currency
    return render_pdf(
        "estate/pdf/lease.html",
        {
            "lease": lease,
            "tenants": [t.user for t in lease.lease_tenants.all()],
            "rent": format_amount(lease.rent, cur, language),
            "charges": format_amount(lease.charges, cur, language),
            "deposit": format_amount(lease.deposit_amount, cur, language),
            "agency_fee": format_amount(lease.agency_fee, cur, language),
        },
        language=language,
    )


def _thumbnail(image, size: int = 360) -> str:
    """A photo as a small JPEG data URI for the PDF (read from the default storage, whatever
    it is); "" when it cannot be read."""
    import base64
    import io

    from PIL import Image

    try:
        with image.open("rb") as stored, Image.open(stored) as img:
            img = img.convert("RGB")
            img.thumbnail((size, size))
            out = io.BytesIO()
            img.save(out, format="JPEG", quality=70)
    except (OSError, ValueError):
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


def inspection_pdf(inspection: Inspection, *, language: str = "fr") -> bytes:
    inspection = (
        Inspection.objects.select_related("lease__unit__property", "organization")
        .prefetch_related(
            "rooms__items__move_in_item",
            "rooms__items__photos",
            "meters",
            "keys",
            "lease__lease_tenants__user",
        )
        .get(pk=inspection.pk)
    )
    rooms = list(inspection.rooms.all())
    for room in rooms:
        for item in room.items.all():
            item.thumbs = [t for t in (_thumbnail(p.image) for p in item.photos.all()) if t]
    return render_pdf(
        "estate/pdf/inspection.html",
        {
            "inspection": inspection,
            "rooms": rooms,
            "meters": list(inspection.meters.all()),
            "keys": list(inspection.keys.all()),
            "deductions": sum(i.deduction for r in inspection.rooms.all() for i in r.items.all()),
            "tenants": [t.user for t in inspection.lease.lease_tenants.all()],
        },
        language=language,
    )


def inspection_document(inspection: Inspection, *, language: str = "fr") -> bytes:
    """The inspection's PDF. Once locked (signed by both sides) it is generated once, stored
    (default storage) and always served as stored; before that, generated on each call."""
    from django.core.files.base import ContentFile

    inspection = Inspection.objects.get(pk=inspection.pk)
    if inspection.document:
        with inspection.document.open("rb") as stored:
            return stored.read()
    content = inspection_pdf(inspection, language=language)
    if inspection.locked_at:
        inspection.document.save(
            f"etat-des-lieux-{inspection.public_id}.pdf", ContentFile(content), save=False
        )
        Inspection.objects.filter(pk=inspection.pk, document="").update(document=inspection.document.name)
    return content
