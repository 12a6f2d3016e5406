"""The main path in a real browser (Playwright driving Debian's Chromium, live_server):
log in, create a property, a unit, a lease; see the first due; record a payment; download
the receipt; verify it at /r/q/<code>. And a tenant paying a due's pay link with the
sandbox provider: the due is paid, the ledger reflects it, the receipt exists."""

from datetime import date

import pytest
from django.utils import timezone

from apps.estate import domain, services
from apps.estate.models import Lease, RentDue
from apps.ledger import api as ledger
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def agency_manager(db):
    agency = OrganizationFactory(name="Agence Navigateur", kind="agency")
    return MembershipFactory(
        organization=agency, role="owner", user=UserFactory(full_name="Rosine Agossou")
    ).user


def test_main_path_property_unit_lease_payment_receipt(browser, live_server, agency_manager, tmp_path):
    page = browser.new_page(locale="fr-FR", viewport={"width": 390, "height": 844})  # a phone
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/manager/login/")
    page.fill("input[name=username]", str(agency_manager.phone))
    page.fill("input[name=password]", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Tableau de bord")

    page.goto(f"{live_server.url}/manager/estate/properties/new")
    page.fill("input[name=name]", "Résidence du Lac")
    page.fill("input[name=neighbourhood]", "Cadjèhoun")
    page.click("main button.primary")
    page.wait_for_selector("h1:has-text('Résidence du Lac')")
    page.click("text=+ Logement")
    page.fill("input[name=label]", "Porte 4")
    page.select_option("select[name=kind]", "chambre_salon")
    page.fill("input[name=market_rent]", "60000")
    page.click("main button.primary")
    page.wait_for_selector("td:has-text('Porte 4')")

    page.click("text=+ bail")  # the unit's "new lease" link opens the wizard at the tenants step
    page.fill("input[name=tenant_name]", "Prisca Amoussou")
    page.fill("input[name=tenant_phone]", "01 61 00 55 44")
    page.click("[data-testid=wizard-next]")
    start = domain.month_start(timezone.localdate())
    page.fill("input[name=start_date]", start.isoformat())
    page.fill("input[name=rent]", "60000")
    page.fill("input[name=deposit_months]", "5")
    page.click("[data-testid=wizard-next]")
    page.wait_for_selector("text=La caution ne peut pas dépasser 3 mois de loyer")
    page.fill("input[name=deposit_months]", "2")
    page.click("[data-testid=wizard-next]")
    page.wait_for_selector("text=signé")

    # signed in Hokwe: the move-in invoice holds the deposit (2 months) and the first rent
    dues = page.locator("[data-testid=dues] tbody tr")
    text = page.locator("[data-testid=dues]").inner_text().replace("\u202f", " ")
    assert dues.count() == 2 and "60 000" in text and "120 000" in text
    assert page.locator("[data-testid=move-in]").is_visible()
    rent_due = RentDue.objects.get(lease__unit__label="Porte 4", kind="rent")
    page.fill("input[name=amount]", "70000")
    page.select_option("select[name=method]", "cash")
    page.select_option("select[name=due]", str(rent_due.public_id))  # the rent first
    page.click("[data-testid=record-payment]")
    page.wait_for_selector("[data-testid=receipt-link]")
    with page.expect_download() as download:
        page.click("[data-testid=receipt-link]")
    pdf = tmp_path / "quittance.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    due = RentDue.objects.get(lease__unit__label="Porte 4", kind="rent")
    assert (
        RentDue.objects.get(lease__unit__label="Porte 4", kind="deposit").paid == 10_000
    )  # then the deposit
    page.goto(f"{live_server.url}/r/q/{due.quittance.code}")
    assert "authentique" in page.locator("[data-testid=verdict]").inner_text()
    assert "60" in page.locator("[data-testid=amount]").inner_text()
    page.goto(f"{live_server.url}/r/q/FAUX123456")
    assert "pas authentique" in page.locator("[data-testid=verdict]").inner_text()


def test_tenant_pays_a_due_pay_link_with_the_sandbox(browser, live_server, agency_manager):
    from .factories import UnitFactory

    unit = UnitFactory(
        property__mandate__agency=agency_manager.memberships.get().organization, market_rent=45_000
    )
    tenant = UserFactory(full_name="Yannick Gbaguidi")
    lease = services.lease_create(
        actor=agency_manager,
        unit=unit,
        tenants=[services.TenantInput(phone=str(tenant.phone), full_name=tenant.full_name)],
        start_date=domain.month_start(timezone.localdate()),
        rent=45_000,
    )
    due = RentDue.objects.get(lease=lease)
    page = browser.new_page(locale="fr-FR")
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/pay/rent/{due.pay_token}")  # the link of the avis d'échéance
    assert "45" in page.locator("[data-testid=balance]").inner_text()
    page.click("[data-testid=pay-submit]")  # the whole balance (the default choice)
    assert "45" in page.locator("[data-testid=amount]").inner_text()
    page.click("[data-testid=pay-mobile_money]")
    page.click("[data-testid=sandbox-approve]")
    page.wait_for_selector("[data-testid=status-paid]")

    due.refresh_from_db()
    assert due.status == "paid" and due.paid == 45_000
    assert due.quittance.voided_at is None
    receivable = ledger.organization_account(
        organization=lease.organization.public_id, code="rent_receivable"
    )
    assert ledger.balance(account=receivable.public_id).posted == 0  # billed 45 000, collected 45 000
    page.goto(f"{live_server.url}/r/q/{due.quittance.code}")
    assert "authentique" in page.locator("[data-testid=verdict]").inner_text()
    assert Lease.objects.get(pk=lease.pk).credit == 0
    assert date.today() >= lease.start_date
