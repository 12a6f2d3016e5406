"""The tenant's vault in a browser (Chromium through Playwright, live server) at 390 px and
1366 px, with what estate files there by itself: the lease, this month's avis d'échéance and,
once paid, the quittance; a document's page opens the PDF; the access log. No horizontal
overflow (the names are long: « Avis d'échéance … · Résidence …, Appartement … »), no console
error."""

import os

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.estate import domain, services
from apps.estate.events import RentDuesIssued
from apps.estate.handlers import file_notices
from apps.estate.models import RentDue
from tests.fixtures.browser import check_widths, session_cookie
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

from .factories import UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ESTATE_SHOTS", "")


def test_the_tenants_vault_lists_the_lease_the_avis_and_the_quittance(browser, live_server):
    agency = OrganizationFactory(name="Agence Navigateur", kind="agency")
    manager = MembershipFactory(organization=agency, role="owner").user
    unit = UnitFactory(
        property__mandate__agency=agency,
        property__name="Résidence Les Flamboyants de Haie Vive",
        label="Appartement 12 B, troisième étage",
        market_rent=120_000,
    )
    tenant = UserFactory(full_name="Yannick Gbaguidi")
    lease = services.lease_create(
        actor=manager,
        unit=unit,
        tenants=[services.TenantInput(phone=str(tenant.phone), full_name=tenant.full_name)],
        start_date=domain.month_start(timezone.localdate()),
        rent=120_000,
    )
    dues = list(RentDue.objects.filter(lease=lease))
    file_notices(RentDuesIssued(period="", due_ids=[str(d.public_id) for d in dues]), event_id="browser")
    services.payment_record(actor=manager, lease=lease, amount=dues[0].total, method="bank_transfer")

    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    context.add_cookies([session_cookie(tenant, base)])
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems: list[str] = []
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    try:
        page.goto(base + reverse("cms-vault-mine"))
        body = page.locator("main").inner_text()
        assert f"Bail {lease.reference}" in body
        assert "Avis d'échéance" in body and "Quittance" in body
        check_widths(page, "tenant-vault", problems, console, shots=SHOTS)
        page.get_by_role("link", name=f"Bail {lease.reference}", exact=False).first.click()
        page.wait_for_load_state()
        check_widths(page, "tenant-vault-document", problems, console, shots=SHOTS)
        download = page.locator("a[href$='/download']").first
        assert download.count() == 1
        response = page.request.get(base + download.get_attribute("href"))
        assert response.status == 200 and response.body().startswith(b"%PDF")
        page.goto(base + reverse("cms-vault-mine"))
        page.get_by_test_id("vault-log-link").click()
        page.get_by_test_id("vault-log").wait_for()
        assert page.locator("[data-testid=vault-log] tr[data-action=file]").count() >= 3
        check_widths(page, "tenant-vault-log", problems, console, shots=SHOTS)
    finally:
        context.close()
    assert problems == []
