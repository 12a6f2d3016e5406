"""Rent dues (estate's one DueFilter), their exports, notices and adjustments; receipts."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.errors import DomainError
from apps.core.money import format_amount

from ... import documents, selectors, services
from ...contracts import DueKind, DueStatus
from ...models import DUE_KIND_LABELS, DUE_STATUS_LABELS
from .. import forms as f
from .common import _lang, _pdf, _tenant_names, page, raise_form


def _filtered_dues(request):
    """The dues page's form, parsed into estate's one DueFilter (selectors.dues_filtered)."""
    form = f.DueFilterForm(request.GET or None)
    form.fields["status"].choices = [("", _("all"))] + [(s.value, DUE_STATUS_LABELS[s]) for s in DueStatus]
    form.fields["property"].choices = [("", _("all"))] + [
        (str(p.public_id), p.name) for p in selectors.properties_for(request.user).order_by("name")
    ]
    filters = selectors.DueFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.DueFilter(
            status=data["status"] or None,
            period=data["period"],
            lease=data["lease"],
            property=data["property"] or None,
            q=data["q"],
        )
    qs = selectors.dues_filtered(request.user, filters).prefetch_related("lease__lease_tenants__user")
    return form, qs


def _due_totals(qs) -> list[dict]:
    """The filtered dues' total, paid and left, one row per currency, in one aggregate query."""
    sums = (
        qs.prefetch_related(None)
        .order_by()
        .values("currency")
        .annotate(n=Count("id"), total_sum=Sum("total"), paid_sum=Sum("paid"))
    )
    return [
        {
            "currency": row["currency"],
            "count": row["n"],
            "total": row["total_sum"] or 0,
            "paid": row["paid_sum"] or 0,
            "left": (row["total_sum"] or 0) - (row["paid_sum"] or 0),
        }
        for row in sorted(sums, key=lambda r: r["currency"])
    ]


@page
@require_GET
def due_list(request):
    form, qs = _filtered_dues(request)
    page_obj = Paginator(qs, 50).get_page(request.GET.get("page"))
    lang = _lang(request)
    rows = [
        (
            d,
            _tenant_names(d.lease),
            services.period_label(d.period, lang),
            format_amount(d.total, d.currency, lang),
            format_amount(d.paid, d.currency, lang),
            format_amount(d.outstanding, d.currency, lang),
        )
        for d in page_obj
    ]
    query = request.GET.copy()
    query.pop("page", None)
    template = "estate/_due_rows.html" if request.headers.get("HX-Request") else "estate/due_list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "rows": rows,
            "page": page_obj,
            "query": query.urlencode(),
            "totals": _due_totals(qs),
        },
    )


EXPORT_COLUMNS = [
    "reference",
    "bail",
    "propriete",
    "logement",
    "locataires",
    "periode",
    "echeance",
    "total",
    "paye",
    "reste",
    "statut",
]


def _due_export_rows(qs):
    for d in qs[:20000]:
        yield [
            d.reference,
            d.lease.reference,
            d.lease.unit.property.name,
            d.lease.unit.label,
            _tenant_names(d.lease),
            d.period.strftime("%Y-%m"),
            d.due_date.isoformat(),
            d.total,
            d.paid,
            d.outstanding,
            str(DUE_STATUS_LABELS[DueStatus(d.status)]),
        ]


@page
@require_GET
def due_export(request, fmt):
    _form, qs = _filtered_dues(request)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(_due_export_rows(qs))
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="echeances-{stamp}.csv"'
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("echeances")
        sheet.append(EXPORT_COLUMNS)
        for row in _due_export_rows(qs):
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="echeances-{stamp}.xlsx"'
        return response
    raise Http404


@page
@require_GET
def due_notice(request, due_id):
    due = selectors.due_get(request.user, due_id)
    return _pdf(documents.notice_pdf(due, language=_lang(request)), f"avis-{due.reference}.pdf")


@page
@require_POST
def due_adjust(request, due_id):
    due = selectors.due_get(request.user, due_id)
    form = f.AdjustmentForm(request.POST)
    try:
        if not form.is_valid():
            raise_form(form)
        services.due_adjust(actor=request.user, due=due, **form.cleaned_data)
        messages.success(request, _("Adjustment saved."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("manager:estate-lease", due.lease.public_id)


@page
@require_GET
def receipt_list(request):
    q = (request.GET.get("q") or "").strip()[:100]
    period_text = (request.GET.get("period") or "").strip()
    kind = request.GET.get("kind") or ""
    try:
        period = datetime.strptime(period_text, "%Y-%m").date() if period_text else None
    except ValueError:
        period, period_text = None, ""
    if kind not in DueKind.__members__.values():
        kind = ""
    qs = selectors.quittances_filtered(request.user, q=q, period=period, kind=kind or None).select_related(
        "due__lease__unit__property"
    )
    page_obj = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(r, format_amount(r.snapshot["total"], r.snapshot["currency"], _lang(request))) for r in page_obj]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "estate/receipt_list.html",
        {
            "rows": rows,
            "page": page_obj,
            "q": q,
            "period": period_text,
            "kind": kind,
            "kinds": [(k.value, DUE_KIND_LABELS[k]) for k in DueKind],
            "query": query.urlencode(),
        },
    )


@page
@require_GET
def receipt_pdf(request, receipt_id):
    quittance = selectors.quittance_visible(request.user, receipt_id)
    return _pdf(
        documents.quittance_pdf(quittance, language=_lang(request)), f"quittance-{quittance.number}.pdf"
    )
