"""A report as a file: CSV, XLSX or PDF (French by default, the reader's language otherwise).

- CSV streams (semicolons, UTF-8 with a BOM for Excel, amounts in minor units with their
  currency): each row is written as it is read, so a huge period never sits in memory.
- XLSX is written by openpyxl's write-only mode into a temporary file on disk, then streamed
  back from it.
- PDF (WeasyPrint) lays the chart out as SVG above the table; it holds the first
  `PDF_MAX_ROWS` rows and says so when there are more (the totals are of every row)."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from datetime import date

from babel.numbers import format_decimal
from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from apps.core.money import format_amount

from .reports import Column, Filters, Report, Totals, chart_svg, month_label, run

PDF_MAX_ROWS = 2000
FILE_NAMES = {  # French, like the files estate and recovery export
    "rent-roll": "etat-locatif",
    "delinquency": "impayes",
    "income": "compte-de-resultat",
    "occupancy": "occupation",
    "payment-methods": "moyens-de-paiement",
    "collectors": "recouvreurs",
    "cash-flow": "tresorerie",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _locale(language: str) -> str:
    return "en" if str(language).startswith("en") else "fr"


def percent_text(bps: int | None, language: str) -> str:
    if bps is None:
        return ""
    return f"{format_decimal(bps / 100, format='#,##0.0', locale=_locale(language))} %"


def display_value(column: Column, row: dict, language: str) -> str:
    """A cell as a reader sees it (the page, the PDF): money with its currency, dates and
    percentages in the reader's language."""
    value = row.get(column.key)
    if value is None or value == "":
        return ""
    if column.kind == "money":
        return (
            format_amount(value, row.get("currency") or "XOF", language)
            if row.get("currency")
            else str(value)
        )
    if column.kind == "int":
        return format_decimal(value, locale=_locale(language))
    if column.kind == "percent":
        return percent_text(value, language)
    if column.kind == "month":
        return month_label(value, language)
    if column.kind == "date" and isinstance(value, date):
        return value.strftime("%d/%m/%Y") if _locale(language) == "fr" else value.isoformat()
    return str(value)


def file_value(column: Column, row: dict, language: str):
    """A cell in a CSV or XLSX file: integers stay integers (minor units), dates ISO."""
    value = row.get(column.key)
    if value is None:
        return ""
    if column.kind == "percent":
        return percent_text(value, language)
    if column.kind == "month" and isinstance(value, date):
        return value.strftime("%Y-%m")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _file_rows(report: Report, language: str, *, subtotal_mark: str) -> Iterator[list]:
    """The header, every row, then one total line per currency (read while streaming)."""
    columns = report.columns
    yield [str(c.label) for c in columns]
    totals = Totals(report)
    for row in report.rows():
        totals.add(row)
        yield [file_value(c, row, language) for c in columns]
    for total in totals.rows():
        yield [
            _("Total") if i == 0 else file_value(c, total, language) if c.key in total else ""
            for i, c in enumerate(columns)
        ]


def filename(report: Report, filters: Filters, extension: str) -> str:
    return f"{FILE_NAMES.get(report.key, report.key)}-{filters.start.isoformat()}-{filters.end.isoformat()}.{extension}"


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(report: Report, *, language: str = "fr") -> Iterator[str]:
    with translation.override(language):
        yield "\ufeff"
        writer = csv.writer(_Echo(), delimiter=";")
        for line in _file_rows(report, language, subtotal_mark=""):
            yield writer.writerow(line)


def csv_response(report: Report, filters: Filters, *, language: str = "fr") -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_stream(report, language=language), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(report, filters, "csv")}"'
    return response


def xlsx_file(report: Report, *, language: str = "fr"):
    """The report as an XLSX in a temporary file (deleted when closed), positioned at 0."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    with translation.override(language):
        sheet = book.create_sheet(str(report.title)[:31])
        for line in _file_rows(report, language, subtotal_mark=""):
            sheet.append(line)
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    book.save(handle)
    handle.seek(0)
    return handle


def xlsx_response(report: Report, filters: Filters, *, language: str = "fr") -> FileResponse:
    return FileResponse(
        xlsx_file(report, language=language),
        as_attachment=True,
        filename=filename(report, filters, "xlsx"),
        content_type=XLSX,
    )


def pdf_bytes(
    report: Report,
    filters: Filters,
    *,
    organization_name: str,
    language: str = "fr",
    link: str = "",
    max_rows: int = PDF_MAX_ROWS,
) -> bytes:
    """The report as a PDF: the chart (SVG), the table's first PDF_MAX_ROWS rows, the totals."""
    from weasyprint import HTML

    with translation.override(language):
        result = run(report, limit=max_rows, organization=filters.organization)
        columns = [c for c in report.columns if c.screen]
        html = render_to_string(
            "analytics/reports/pdf.html",
            {
                "LANGUAGE": language,
                "report": report,
                "result": result,
                "organization_name": organization_name,
                "filters": filters,
                "columns": columns,
                "rows": [
                    {
                        "cells": [display_value(c, row, language) for c in columns],
                        "subtotal": row.get("_subtotal"),
                    }
                    for row in result.rows
                ],
                "totals": [[display_value(c, t, language) for c in columns] for t in result.totals],
                "chart": mark_safe(chart_svg(result.chart, language=language)),  # noqa: S308 -- escaped by chart.py
                "generated": timezone.localtime(),
                "link": link,
                "max_rows": max_rows,
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(
    report: Report, filters: Filters, *, organization_name: str, language: str = "fr"
) -> HttpResponse:
    content = pdf_bytes(report, filters, organization_name=organization_name, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(report, filters, "pdf")}"'
    return response
