"""Statement import in a real browser: on a phone (390×844) the manager uploads a MoMo
statement, reads the preview, imports it, and confirms the partial match from the review
queue (phone cards, no sideways scroll); on a laptop (1366×768) the queue is a table."""

import os

import pytest
from django.utils import timezone

from apps.estate import domain, services
from apps.estate.models import RentPayment, StatementLine
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

from .factories import MandateFactory, PropertyFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("HOKWE_SCREENSHOTS", "")
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def agency_lease(db, tmp_path):
    agency = OrganizationFactory(name="Agence Rapprochement", kind="agency")
    manager = MembershipFactory(
        organization=agency, role="manager", user=UserFactory(full_name="Rosine Agossou")
    ).user
    this_month = domain.month_start(timezone.localdate())
    mandate = MandateFactory(agency=agency, commission_bps=1000, start_date=domain.add_months(this_month, -6))
    unit = UnitFactory(property=PropertyFactory(mandate=mandate, name="Résidence Houéyiho"), label="C4")
    lease = services.lease_create(
        actor=manager,
        unit=unit,
        tenants=[services.TenantInput(phone="+2290161004411", full_name="Prisca Amoussou")],
        start_date=domain.add_months(this_month, -2),
        rent=80_000,
        charges=0,
        deposit_months=0,
    )
    today = timezone.localdate().strftime("%d/%m/%Y")
    csv = (
        "Date;ID de transaction;Type;Statut;De;Nom de l'expéditeur;Montant;Devise;Message\n"
        f"{today};BR-1;Transfert reçu;Réussi;229 01 61 00 44 11;AMOUSSOU Prisca;80 000;XOF;Loyer {lease.reference}\n"
        f"{today};BR-2;Transfert reçu;Réussi;0161004412;AMOUSSOU Paul;50 000;XOF;acompte {lease.reference}\n"
    )
    path = tmp_path / "releve-mtn.csv"
    path.write_text(csv, encoding="utf-8")
    return manager, lease, path


def _login(browser, live_server, user, viewport):
    page = browser.new_page(locale="fr-FR", viewport=viewport)
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/manager/login/")
    page.fill("input[name=username]", str(user.phone))
    page.fill("input[name=password]", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def _no_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _row_display(page, testid):
    return page.evaluate(
        f"getComputedStyle(document.querySelector('[data-testid={testid}] tbody tr')).display"
    )


def test_upload_preview_import_and_confirm_on_a_phone(browser, live_server, agency_lease):
    manager, lease, path = agency_lease
    page = _login(browser, live_server, manager, PHONE)
    page.goto(f"{live_server.url}/manager/estate/bank/")
    page.select_option("select[name=format]", "mtn_momo")
    page.set_input_files("input[name=file]", str(path))
    page.click("[data-testid=statement-upload] button[type=submit]")
    preview = page.locator("[data-testid=statement-preview]")
    text = preview.inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert "Aperçu" in text and "1 ligne(s) seront appliquées automatiquement" in text
    assert _row_display(page, "statement-preview-lines") == "grid"  # phone cards
    _no_overflow(page)
    _shot(page, "statement-preview-390")
    page.click("[data-testid=statement-apply] button[type=submit]")
    page.wait_for_load_state()
    assert "Relevé importé" in page.content()
    _no_overflow(page)
    _shot(page, "statement-import-390")
    assert RentPayment.objects.filter(lease=lease, method="momo_direct").count() == 1

    page.goto(f"{live_server.url}/manager/estate/bank/review/")
    assert _row_display(page, "statement-review") == "grid"
    _no_overflow(page)
    _shot(page, "statement-review-390")
    page.click("[data-testid=statement-confirm]")
    page.wait_for_load_state()
    assert "Ligne confirmée" in page.content()
    assert StatementLine.objects.get(transaction_id="BR-2").status == "confirmed"
    assert RentPayment.objects.filter(lease=lease).count() == 2


def test_the_review_queue_is_a_table_on_a_laptop(browser, live_server, agency_lease):
    manager, lease, path = agency_lease
    from apps.estate.services import statements

    statements.statement_import(
        actor=manager,
        organization_id=lease.organization_id,
        fmt="mtn_momo",
        filename=path.name,
        content=path.read_bytes(),
    )
    page = _login(browser, live_server, manager, LAPTOP)
    page.goto(f"{live_server.url}/manager/estate/bank/review/")
    assert _row_display(page, "statement-review") == "table-row"
    assert "Confirmer" in page.locator("[data-testid=statement-confirm]").inner_text()
    _no_overflow(page)
    _shot(page, "statement-review-1366")
