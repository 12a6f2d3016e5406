"""Issue 15 in a real browser (Playwright driving Debian's Chromium, live_server):
(a) a lease starting mid-month, signed through the wizard, gets a pro-rata first due and a
move-in invoice with its deposit, advance month and agency fee, shown on the lease page;
(b) an import with paid-up dates creates no arrears: the dashboard's unpaid total, overdue
count and collection rate read before and after are the same."""

import pytest
from django.utils import timezone

from apps.estate import domain, services
from apps.estate.models import Lease, RentDue
from apps.estate.services.dues import occupied_days, prorata
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

from .factories import UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def agency_manager(db):
    agency = OrganizationFactory(name="Agence Entrée", kind="agency")
    return MembershipFactory(
        organization=agency, role="owner", user=UserFactory(full_name="Rosine Agossou")
    ).user


def log_in(browser, live_server, user, width=390):
    page = browser.new_page(locale="fr-FR", viewport={"width": width, "height": 844})
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/manager/login/")
    page.fill("input[name=username]", str(user.phone))
    page.fill("input[name=password]", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Tableau de bord")
    return page


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_a_lease_starting_mid_month_gets_a_pro_rata_due_and_a_move_in_invoice(
    browser, live_server, agency_manager
):
    agency = agency_manager.memberships.get().organization
    unit = UnitFactory(property__mandate__agency=agency, label="Porte 7", market_rent=60_000)
    start = domain.add_months(domain.month_start(timezone.localdate()), 1).replace(day=15)
    page = log_in(browser, live_server, agency_manager)
    page.goto(f"{live_server.url}/manager/estate/leases/new?unit={unit.public_id}")
    page.fill("input[name=tenant_name]", "Prisca Amoussou")
    page.fill("input[name=tenant_phone]", "01 61 00 55 47")
    page.click("[data-testid=wizard-next]")
    page.fill("input[name=start_date]", start.isoformat())
    page.fill("input[name=rent]", "60000")
    page.fill("input[name=charges]", "0")
    page.fill("input[name=deposit_months]", "2")
    page.fill("input[name=advance_months]", "1")
    page.fill("input[name=agency_fee]", "30000")
    assert page.locator("select[name=first_period_rule]").input_value() == "prorata"  # the agency's rule
    page.fill("input[name=min_part_payment]", "10000")
    page.click("[data-testid=wizard-next]")
    page.wait_for_selector("text=signé")

    lease = Lease.objects.get(unit=unit)
    days, in_month = occupied_days(domain.month_start(start), start, None)
    first = prorata(60_000, days, in_month)
    rents = list(RentDue.objects.filter(lease=lease, kind="rent").order_by("period"))
    assert [(d.total, d.due_date) for d in rents] == [
        (first, start),  # pro rata, due on the start date
        (60_000, domain.due_date_of(domain.add_months(domain.month_start(start), 1), 5)),  # the advance
    ]
    assert lease.min_part_payment == 10_000 and lease.first_period_rule == "prorata"

    block = page.locator("[data-testid=move-in]")
    assert block.is_visible()
    assert plain(block.locator("h2").inner_text()) in ("Facture d’entrée", "Facture d'entrée")
    kinds = block.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.kind)")
    assert sorted(kinds) == ["deposit", "fee", "rent", "rent"]
    text = plain(block.inner_text())
    assert "Caution" in text and "120 000" in text and "30 000" in text and "au prorata" in text
    assert f"{first:,}".replace(",", " ") in text
    total = 120_000 + 30_000 + first + 60_000
    assert f"{total:,}".replace(",", " ") in plain(block.locator("[data-testid=move-in-total]").inner_text())
    # one pay link: the oldest open move-in due's (its page offers the whole balance)
    href = block.locator("[data-testid=move-in-pay]").get_attribute("href")
    oldest = min(RentDue.objects.filter(lease=lease), key=lambda d: (d.due_date, d.pk))
    assert href == f"/pay/rent/{oldest.pay_token}"
    page.set_viewport_size({"width": 1366, "height": 900})
    assert block.is_visible()


def kpis(page, live_server) -> list[str]:
    """The dashboard's money figures: expected (with the number of dues), collected (with
    the collection rate), arrears (with the number of overdue dues). Occupancy is left out:
    the import adds let units."""
    page.goto(f"{live_server.url}/manager/estate/")
    boxes = page.locator(".kpis .kpi")
    return [plain(boxes.nth(index).inner_text()) for index in range(3)]


def test_an_import_with_paid_up_dates_creates_no_arrears_and_the_dashboard_does_not_move(
    browser, live_server, agency_manager, tmp_path
):
    agency = agency_manager.memberships.get().organization
    today = timezone.localdate()
    # a lease already in Hokwe: two months billed, one paid — figures that are not zero
    unit = UnitFactory(property__mandate__agency=agency, label="Porte 1", market_rent=50_000)
    tenant = UserFactory(full_name="Locataire Existant")
    lease = services.lease_create(
        actor=agency_manager,
        unit=unit,
        tenants=[services.TenantInput(phone=str(tenant.phone), full_name=tenant.full_name)],
        start_date=domain.add_months(domain.month_start(today), -1),
        rent=50_000,
        due_day=1,
        grace_days=0,
    )
    services.payment_record(actor=agency_manager, lease=lease, amount=50_000, method="bank_transfer")

    page = log_in(browser, live_server, agency_manager, width=1366)
    before = kpis(page, live_server)
    assert "50 000" in before[2]  # this month's rent is overdue (due on the 1st, no grace)

    # the sample file, paid up to today (the sample's own dates are in the past)
    sample = open("docs/samples/estate-import.csv", encoding="utf-8").read().splitlines()
    header, rows = sample[0], sample[1:]
    paid_up = today.strftime("%d/%m/%Y")
    lines = [header] + [";".join([*row.split(";")[:-2], paid_up, "0"]) for row in rows]
    path = tmp_path / "baux.csv"
    path.write_text("\n".join(lines), encoding="utf-8")

    page.goto(f"{live_server.url}/manager/estate/import/")
    page.set_input_files("input[name=file]", str(path))
    page.click("main button.primary")
    page.wait_for_selector("[data-testid=import-rows]")
    assert page.locator("[data-testid=import-row]").count() == 3
    page.click("text=Importer maintenant")
    page.wait_for_selector("text=Import terminé")

    imported = Lease.objects.exclude(pk=lease.pk)
    assert imported.count() == 3
    assert not RentDue.objects.filter(lease__in=imported, due_date__lte=today).exists()  # nothing owed now
    assert not RentDue.objects.filter(lease__in=imported, kind__in=["deposit", "fee"]).exists()
    after = kpis(page, live_server)
    assert after == before
