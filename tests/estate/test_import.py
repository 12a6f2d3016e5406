"""Onboarding import: dry-run preview, row-level errors in French, no partial import,
then the same file applied; CSV and XLSX; past payments."""

import io

import pytest

from apps.estate import services
from apps.estate.models import ImportBatch, Lease, Property, RentDue, Unit

pytestmark = pytest.mark.django_db

SAMPLE = open("docs/samples/estate-import.csv", "rb").read()
PAYMENTS = open("docs/samples/estate-import-payments.csv", "rb").read()


def test_sample_previews_then_applies(clock, manager, agency):
    preview = services.import_run(
        actor=manager, organization_id=agency.pk, filename="baux.csv", content=SAMPLE, dry_run=True
    )
    assert preview.errors == [] and preview.counts["leases"] == 3 and preview.counts["properties"] == 2
    assert not Lease.objects.exists() and not Property.objects.exists()  # a dry run writes nothing
    result = services.import_apply(actor=manager, batch=preview.batch)
    assert result.applied and Lease.objects.count() == 3 and Unit.objects.count() == 3
    lease = Lease.objects.get(unit__label="A1")
    assert lease.deposit_paid == 240_000
    # paid up to 28 February before Hokwe: only March is billed (no fake arrears)
    assert RentDue.objects.filter(lease=lease).count() == 1
    payments = services.import_run(
        actor=manager, organization_id=agency.pk, filename="paiements.csv", content=PAYMENTS, dry_run=False
    )
    assert payments.applied and payments.counts["payments"] == 3
    paid = dict(RentDue.objects.filter(lease=lease).values_list("period__month", "paid"))
    assert paid == {3: 125_000}


def test_row_errors_in_french_and_nothing_imported(clock, manager, agency):
    bad = (
        SAMPLE.decode()
        .replace("120000", "-3")
        .replace("01 61 00 30 02", "123")
        .replace("entrer-coucher", "château")
    )
    result = services.import_run(
        actor=manager, organization_id=agency.pk, filename="baux.csv", content=bad.encode(), dry_run=False
    )
    assert not result.applied
    by_row = {e["row"]: e for e in result.errors}
    assert by_row[2]["message"] == "Le montant ne peut pas être négatif." and by_row[2]["field"] == "loyer"
    assert by_row[3]["message"] == "Saisissez un numéro de téléphone valide."
    assert by_row[4]["message"] == "Type de logement inconnu « château »."
    assert not Lease.objects.exists() and not Property.objects.exists() and not RentDue.objects.exists()
    assert ImportBatch.objects.get().status == "refused"
    with pytest.raises(Exception):  # noqa: B017 -- a refused file cannot be applied
        services.import_apply(actor=manager, batch=ImportBatch.objects.get())


def test_xlsx_with_two_sheets(clock, manager, agency):
    from openpyxl import Workbook

    book = Workbook()
    leases = book.active
    leases.title = "Baux"
    for line in SAMPLE.decode().splitlines():
        leases.append([int(v) if v.isdigit() else v for v in line.split(";")])
    payments = book.create_sheet("Paiements")
    for line in PAYMENTS.decode().splitlines():
        payments.append([int(v) if v.isdigit() else v for v in line.split(";")])
    buffer = io.BytesIO()
    book.save(buffer)
    result = services.import_run(
        actor=manager,
        organization_id=agency.pk,
        filename="agence.xlsx",
        content=buffer.getvalue(),
        dry_run=False,
    )
    assert result.errors == [] and result.applied
    assert result.counts == {"leases": 3, "payments": 3, "properties": 2, "units": 3}


def test_import_page_preview(client, manager, agency, clock):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(manager)
    response = client.post(
        reverse("manager:estate-import"),
        {"organization": str(agency.pk), "file": SimpleUploadedFile("baux.csv", SAMPLE)},
    )
    body = response.content.decode()
    assert "3 bail(s)" in body and "Importer maintenant" in body
    assert not Lease.objects.exists()
