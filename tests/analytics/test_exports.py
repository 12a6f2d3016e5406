"""The reports' exports: CSV streamed, XLSX from a temporary file (openpyxl's write-only mode),
PDF with the chart as SVG (WeasyPrint), French by default; a huge period streams."""

from __future__ import annotations

import io

from django.urls import reverse

from tests.analytics.test_reports import world  # noqa: F401 -- the fixture


def _export(client, key, fmt, **query):
    return client.get(reverse("manager:analytics-report-export", args=[key, fmt]), query)


def test_rent_roll_exports_to_csv_streamed_in_french(client, world):  # noqa: F811
    client.force_login(world.manager)
    response = _export(client, "rent-roll", "csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="etat-locatif-')
    text = b"".join(response.streaming_content).decode("utf-8")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].split(";")[0] == "Bien"  # French headers
    assert world.lease.reference in lines[1] and ";100000;" in lines[1]  # minor units
    assert lines[-1].startswith("Total;")


def test_rent_roll_exports_to_xlsx(client, world):  # noqa: F811
    from openpyxl import load_workbook

    client.force_login(world.manager)
    response = _export(client, "rent-roll", "xlsx")
    assert response.status_code == 200 and response.streaming  # a FileResponse from the temporary file
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Bien" and rows[1][2] == world.lease.reference and 100_000 in rows[1]
    assert rows[-1][0] == "Total"


def test_rent_roll_exports_to_pdf_with_its_chart(client, world):  # noqa: F811
    from pypdf import PdfReader

    client.force_login(world.manager)
    response = _export(client, "rent-roll", "pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "État locatif" in text and "Locataire Rapport Alpha" in text and "Agence Rapports Alpha" in text
    assert "Loyer et charges" in text  # the chart's legend, drawn from the SVG


def test_every_report_exports_to_every_format(client, world):  # noqa: F811
    client.force_login(world.manager)
    for key in ("delinquency", "income", "occupancy", "payment-methods", "collectors", "cash-flow"):
        for fmt in ("csv", "xlsx", "pdf"):
            response = _export(client, key, fmt)
            assert response.status_code == 200, (key, fmt)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert body


def test_the_pdf_is_bounded_and_says_so(world):  # noqa: F811
    from pypdf import PdfReader

    from apps.analytics.services import exports
    from apps.analytics.services.reports import build, parse_filters

    filters = parse_filters({}, organization=world.agency.public_id)
    content = exports.pdf_bytes(build("rent-roll", filters), filters, organization_name="Alpha", max_rows=0)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "CSV" in text and "XLSX" in text  # « ce PDF contient les 0 premières lignes sur 1 … »


def test_a_huge_period_streams_row_by_row(world):  # noqa: F811
    """Ten years of months: the CSV is a generator, read a line at a time."""
    from apps.analytics.services.exports import csv_stream
    from apps.analytics.services.reports import build, parse_filters

    filters = parse_filters({"start": "2017-01-01", "end": "2026-12-31"}, organization=world.agency.public_id)
    stream = csv_stream(build("occupancy", filters))
    assert next(stream) == "\ufeff"
    assert next(stream).startswith("Mois;")
    assert sum(1 for _line in stream) == 120 + 1  # every month, then the total
