"""Import without fake arrears (issue 15, item 5): the « payé jusqu'au » date and the
opening balance, the dry run's rows and flags, the bad-input rules, and the undo."""

from datetime import date

import pytest
from django.urls import reverse

from apps.estate import selectors, services
from apps.estate.errors import ImportRefused
from apps.estate.models import ImportBatch, Lease, Property, RentDue, Unit
from apps.ledger import api as ledger

pytestmark = pytest.mark.django_db

HEADER = (
    "propriete;ville;logement;type_logement;loyer;charges;locataire_nom;locataire_telephone;"
    "debut_bail;jour_echeance;caution_versee;paye_jusqu_au;solde_ouverture"
)


def csv(*rows: str) -> bytes:
    return "\n".join((HEADER, *rows)).encode()


def line(
    unit: str, phone: str, *, rent=50_000, start="01/06/2024", paid="10/03/2026", opening="0", deposit=""
):
    return f"Cour Akpakpa;Cotonou;{unit};studio;{rent};0;Locataire {unit};{phone};{start};5;{deposit};{paid};{opening}"


def run(manager, agency, content: bytes, *, dry_run=False):
    return services.import_run(
        actor=manager, organization_id=agency.pk, filename="baux.csv", content=content, dry_run=dry_run
    )


def figures(manager) -> dict:
    board = selectors.dashboard(manager, today=date(2026, 3, 10))
    keys = ("expected", "collected", "rate", "dues_count", "arrears", "arrears_count", "series")
    return {k: board[k] for k in keys}


def balances(org) -> dict:
    out = {}
    for account in ledger.organization_accounts(organization=org.public_id):
        posted = ledger.balance(account=account.public_id).posted
        if posted:
            out[account.code] = posted
    return out


def receivable(org) -> int:
    return balances(org).get("rent_receivable", 0)


@pytest.fixture
def portfolio(lease, manager):
    """A lease already in Hokwe (January to March billed, January paid)."""
    services.payment_record(actor=manager, lease=lease, amount=80_000, method="bank_transfer")
    return lease


def test_paid_up_dates_create_no_arrears_and_the_dashboard_does_not_move(clock, manager, agency, portfolio):
    before, ledger_before = figures(manager), balances(agency)
    result = run(
        manager,
        agency,
        csv(line("S1", "0161004001"), line("S2", "0161004002", paid="03/2026"), line("S3", "0161004003")),
    )
    assert result.applied and result.errors == [] and result.counts["leases"] == 3
    imported = Lease.objects.filter(import_batch=result.batch)
    assert imported.count() == 3 and {lease.paid_up_to for lease in imported} == {
        date(2026, 3, 10),
        date(2026, 3, 31),
    }
    assert not RentDue.objects.filter(lease__in=imported).exists()  # 21 months paid before Hokwe
    assert figures(manager) == before  # collection rate, expected, unpaid: unchanged
    assert balances(agency) == ledger_before
    # the next month-end run bills April, and only April
    services.month_end_run(period=date(2026, 4, 1))
    assert set(RentDue.objects.filter(lease__in=imported).values_list("period", flat=True)) == {
        date(2026, 4, 1)
    }
    # a manual run of a covered month bills nothing for them
    services.month_end_run(period=date(2026, 3, 1))
    assert not RentDue.objects.filter(lease__in=imported, period=date(2026, 3, 1)).exists()


def test_opening_balance_is_one_due_equal_to_the_ledger_receivable(clock, manager, agency, portfolio):
    before, receivable_before = figures(manager), receivable(agency)
    result = run(manager, agency, csv(line("S1", "0161004001", opening="60000")))
    assert result.applied
    lease = Lease.objects.get(import_batch=result.batch)
    due = RentDue.objects.get(lease=lease)
    assert (due.kind, due.total, due.paid, due.reference) == ("opening", 60_000, 0, f"SOLDE-{lease.pk:06d}")
    assert due.status == "overdue" and due.due_date <= date(2026, 3, 10)  # owed now
    assert receivable(agency) - receivable_before == 60_000 == due.total - due.paid
    after = figures(manager)
    assert after["arrears"] == before["arrears"] + 60_000  # real arrears are shown...
    assert (after["expected"], after["collected"], after["rate"], after["series"]) == (
        before["expected"],
        before["collected"],
        before["rate"],
        before["series"],
    )  # ...but the collection rates do not move
    # a payment pays the opening balance first (oldest debt)
    services.payment_record(actor=manager, lease=lease, amount=60_000, method="bank_transfer")
    due.refresh_from_db()
    assert due.status == "paid" and receivable(agency) == receivable_before


@pytest.mark.parametrize(
    "rows, bad_line, field, message",
    [
        (
            (line("S1", "0161004001"), line("S2", "0161004002"), line("S1", "0161004001")),
            4,
            "logement",
            "Le même bail (propriété, logement, locataire) figure déjà à la ligne 2.",
        ),
        (
            (line("S1", "0161004001"), line("S2", "0161004002", paid="11/03/2026")),
            3,
            "paye_jusqu_au",
            "La date « payé jusqu'au » 11/03/2026 est dans le futur : enregistrez une avance comme un paiement.",
        ),
        (
            (line("S1", "0161004001", opening="-5000"), line("S2", "0161004002")),
            2,
            "solde_ouverture",
            "Le solde d'ouverture ne peut pas être négatif : enregistrez ce que le locataire a payé d'avance "
            "comme un paiement.",
        ),
    ],
    ids=["same-lease-twice", "paid-up-in-the-future", "negative-opening-balance"],
)
def test_bad_rows_are_refused_with_their_line_and_nothing_is_created(
    clock, manager, agency, rows, bad_line, field, message
):
    result = run(manager, agency, csv(*rows))
    assert not result.applied
    assert [(e["row"], e["field"], e["message"]) for e in result.errors] == [(bad_line, field, message)]
    assert not Lease.objects.exists() and not RentDue.objects.exists()
    assert not Property.objects.exists() and not Unit.objects.exists()
    assert balances(agency) == {}
    assert ImportBatch.objects.get().status == "refused"


def test_dry_run_lists_every_row_with_its_balance_and_flags_the_suspicious(clock, manager, agency):
    content = csv(
        line("S1", "0161004001", paid="28/02/2026"),  # March billed: 50 000
        line("S2", "0161004002", paid="", start="01/01/2025", rent=40_000),  # old file: 15 months
        line("S3", "0161004003", opening="400000"),  # 8 months of rent owed
    )
    result = run(manager, agency, content, dry_run=True)
    assert result.errors == [] and not result.applied
    rows = {r["unit"]: r for r in result.rows}
    assert [r["row"] for r in result.rows] == [2, 3, 4]
    assert (rows["S1"]["balance"], rows["S1"]["dues"], rows["S1"]["suspicious"]) == (50_000, 1, False)
    assert rows["S1"]["first_billed"] == "mars 2026"
    assert (rows["S2"]["balance"], rows["S2"]["dues"], rows["S2"]["suspicious"]) == (600_000, 15, True)
    assert (rows["S3"]["balance"], rows["S3"]["opening"], rows["S3"]["suspicious"]) == (
        400_000,
        400_000,
        True,
    )
    assert [w["row"] for w in result.warnings] == [3]  # no paid-up date: today's behaviour, but warned
    assert "janvier 2025" in result.warnings[0]["message"]
    assert not Lease.objects.exists() and not RentDue.objects.exists() and balances(agency) == {}


def test_import_page_shows_the_rows_the_flag_and_the_warning(client, clock, manager, agency):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(manager)
    content = csv(line("S1", "0161004001", opening="400000"), line("S2", "0161004002", paid=""))
    response = client.post(
        reverse("manager:estate-import"),
        {"organization": str(agency.pk), "file": SimpleUploadedFile("baux.csv", content)},
    )
    body = response.content.decode()
    assert body.count('data-testid="import-row"') == 2
    assert body.count('data-testid="import-suspicious"') == 2  # S2: 22 months billed as unpaid
    assert 'data-testid="import-warning"' in body and "Importer maintenant" in body
    assert not Lease.objects.exists()


def test_undo_within_24_hours_restores_the_dashboard_and_the_ledger(
    client, clock, manager, agency, portfolio
):
    before, ledger_before = figures(manager), balances(agency)
    leases_before, units_before = Lease.objects.count(), Unit.objects.count()
    result = run(
        manager,
        agency,
        csv(
            line("S1", "0161004001", opening="60000", deposit="100000"),
            line("S2", "0161004002", paid="28/02/2026"),
        ),
    )
    assert result.applied and figures(manager) != before and balances(agency) != ledger_before
    client.force_login(manager)
    page = client.get(reverse("manager:estate-import")).content.decode()
    assert "Annuler l&#x27;import" in page or "Annuler l'import" in page
    # without the confirmation box: nothing happens
    client.post(reverse("manager:estate-import"), {"undo": str(result.batch.public_id)})
    assert Lease.objects.filter(import_batch=result.batch).count() == 2
    response = client.post(
        reverse("manager:estate-import"), {"undo": str(result.batch.public_id), "confirm": "yes"}, follow=True
    )
    assert "Import annulé" in response.content.decode()
    assert figures(manager) == before
    assert balances(agency) == ledger_before  # reversed by mirror postings, not deleted
    assert Lease.objects.count() == leases_before and Unit.objects.count() == units_before
    assert not Property.objects.filter(name="Cour Akpakpa").exists()
    result.batch.refresh_from_db()
    assert result.batch.status == "undone" and result.batch.undone_at is not None
    with pytest.raises(ImportRefused):  # once
        services.import_undo(actor=manager, batch=result.batch)


def test_undo_refused_after_24_hours(clock, manager, agency, time_machine):
    result = run(manager, agency, csv(line("S1", "0161004001", opening="60000")))
    time_machine.move_to("2026-03-11T11:00:01+00:00", tick=False)  # 24 h and a second later
    assert not services.import_undoable(result.batch)
    with pytest.raises(ImportRefused) as refused:
        services.import_undo(actor=manager, batch=result.batch)
    assert refused.value.message == "Un import ne peut être annulé que dans les 24 heures qui suivent."
    assert Lease.objects.filter(import_batch=result.batch).count() == 1 and RentDue.objects.count() == 1


def test_undo_refused_once_a_payment_was_recorded(clock, manager, agency):
    result = run(manager, agency, csv(line("S1", "0161004001", opening="60000")))
    lease = Lease.objects.get(import_batch=result.batch)
    services.payment_record(actor=manager, lease=lease, amount=10_000, method="bank_transfer")
    receivable_before = receivable(agency)
    with pytest.raises(ImportRefused) as refused:
        services.import_undo(actor=manager, batch=result.batch)
    assert "paiement" in refused.value.message
    assert Lease.objects.filter(pk=lease.pk).exists() and receivable(agency) == receivable_before
    result.batch.refresh_from_db()
    assert result.batch.status == "applied"
