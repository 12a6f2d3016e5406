"""The tenant's side in a real browser (Playwright driving Debian's Chromium, live_server),
issue 15: (a) a tenant with no identity verification pays a 450 000 FCFA rent from the pay
link of their SMS through the sandbox provider, then logs into the tenant space with an SMS
code, finds the quittance and downloads it; (b) a tenant pays part of a due from the pay
link, then the next month ahead, and the tenant space shows the part paid, then paid, and
the credit."""

import pytest
from django.utils import timezone

from apps.estate import domain, services
from apps.estate.models import Lease, RentDue
from apps.identity import api as identity
from tests.identity.conftest import SmsInbox
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

from .factories import UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sms():
    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    yield inbox
    identity.set_otp_sender(None)


@pytest.fixture
def agency_manager(db):
    agency = OrganizationFactory(name="Agence Navigateur", kind="agency")
    return MembershipFactory(
        organization=agency, role="owner", user=UserFactory(full_name="Rosine Agossou")
    ).user


def a_lease(manager, *, rent: int, label: str = "Villa 7"):
    unit = UnitFactory(
        property__mandate__agency=manager.memberships.get().organization, label=label, market_rent=rent
    )
    tenant = UserFactory(full_name="Yannick Gbaguidi")
    lease = services.lease_create(
        actor=manager,
        unit=unit,
        tenants=[services.TenantInput(phone=str(tenant.phone), full_name=tenant.full_name)],
        start_date=domain.month_start(timezone.localdate()),
        rent=rent,
    )
    return lease, tenant


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def pay_with_the_sandbox(page):
    """payments' pay page → mobile money → the sandbox provider approves."""
    page.click("[data-testid=pay-mobile_money]")
    page.click("[data-testid=sandbox-approve]")
    page.wait_for_selector("[data-testid=status-paid]")


def log_in_by_sms(page, base: str, sms, tenant):
    page.goto(f"{base}/pay/")  # the tenant space sends to its login
    page.wait_for_selector("[data-testid=tenant-login]")
    assert "Votre espace locataire" in page.inner_text("h1")
    page.fill("input[name=phone]", str(tenant.phone))
    page.click("[data-testid=send-code]")
    page.wait_for_selector("[data-testid=tenant-login-code]")
    page.fill("input[name=code]", sms.last_code(tenant.phone))
    page.click("[data-testid=verify-code]")
    page.wait_for_selector("[data-testid=lease-card]")


def test_a_tenant_without_kyc_pays_450000_then_finds_and_downloads_the_quittance(
    browser, live_server, agency_manager, sms, tmp_path
):
    lease, tenant = a_lease(agency_manager, rent=450_000)
    due = RentDue.objects.get(lease=lease, kind="rent")
    page = browser.new_page(locale="fr-FR", viewport={"width": 390, "height": 844})  # a phone
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/pay/rent/{due.pay_token}")  # the link of the SMS
    assert digits(page.inner_text("[data-testid=balance]")) == "450000"
    page.click("[data-testid=pay-submit]")  # the whole balance
    assert digits(page.inner_text("[data-testid=amount]")) == "450000"
    pay_with_the_sandbox(page)
    due.refresh_from_db()
    assert due.status == "paid" and due.paid == 450_000

    log_in_by_sms(page, live_server.url, sms, tenant)
    assert "Vous êtes à jour." in page.inner_text("[data-testid=lease-card]")
    page.click("[data-testid=nav-receipts]")
    row = page.locator("[data-testid=receipt-row]")
    assert row.count() == 1 and due.quittance.number in row.inner_text()
    assert "450" in row.inner_text()
    with page.expect_download() as download:
        page.click("[data-testid=receipt-pdf]")
    pdf = tmp_path / "quittance.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    page.click("[data-testid=receipt-verify]")  # the QR's page
    assert "authentique" in page.inner_text("[data-testid=verdict]")


def test_a_tenant_pays_part_then_next_month_ahead_and_the_space_shows_it(
    browser, live_server, agency_manager, sms
):
    lease, tenant = a_lease(agency_manager, rent=100_000, label="Studio 3")
    due = RentDue.objects.get(lease=lease, kind="rent")
    page = browser.new_page(locale="fr-FR", viewport={"width": 1366, "height": 900})
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/pay/rent/{due.pay_token}")
    page.check("[data-testid=choice-part]")
    page.fill("[data-testid=amount-input]", "40000")
    page.click("[data-testid=pay-submit]")
    assert digits(page.inner_text("[data-testid=amount]")) == "40000"
    pay_with_the_sandbox(page)

    log_in_by_sms(page, live_server.url, sms, tenant)
    assert digits(page.inner_text("[data-testid=owed]")) == "60000"
    page.click("[data-testid=nav-dues]")
    row = page.locator(f"[data-due='{due.public_id}']")
    assert row.get_attribute("data-status") in ("partially_paid", "due", "overdue")
    assert "40 000 FCFA payés, 60 000 FCFA restants" in row.inner_text().replace("\u202f", " ").replace(
        "\u00a0", " "
    )

    page.click("[data-testid=nav-home]")
    page.click("[data-testid=pay-button]")  # the tenant space's « Payer » → the pay link
    page.check("[data-testid=choice-ahead]")
    page.click("[data-testid=pay-submit]")
    assert digits(page.inner_text("[data-testid=amount]")) == "160000"  # 60 000 left + next month
    pay_with_the_sandbox(page)

    page.goto(f"{live_server.url}/pay/")
    assert digits(page.inner_text("[data-testid=owed]")) == "0"
    assert digits(page.inner_text("[data-testid=credit]")) == "100000"
    page.click("[data-testid=nav-dues]")
    assert page.locator(f"[data-due='{due.public_id}']").get_attribute("data-status") == "paid"
    assert Lease.objects.get(pk=lease.pk).credit == 100_000
