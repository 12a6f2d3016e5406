"""A demo tenant pays a pay link with the sandbox provider in a real Chromium (Debian's,
driven by Playwright), and the intent, the ledger and the receipt reflect it.

Estate (rent dues, issue 10) extends this path: create the due's intent with
`purpose=PurposeRef("estate.RentDue", …)` in `pay_link_for`, then add its own checks (the
due settled, the quittance) after `pay_in_browser` — see `test_a_tenant_pays_a_pay_link`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from apps.core.models import OutboxEvent
from apps.ledger import api as ledger
from apps.payments import api
from apps.payments.contracts import IntentStatus, PurposeRef
from tests.identity.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("HOKWE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API keeps an event loop on this thread; the test's own ORM calls
    # are still plain synchronous code (the server runs in live_server's thread).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: scripts/setup.d/60-browser.sh installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})  # a phone
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


def pay_link_for(
    *, amount: int = 75_000, purpose: PurposeRef | None = None, description: str = "Loyer décembre 2026"
):
    """A demo agency and tenant with one pay link (what the SMS carries)."""
    agency = OrganizationFactory(name="Agence Immobilière Les Cocotiers")
    tenant = UserFactory(full_name="Brice Zinsou")
    intent = api.create_intent(
        organization=agency.public_id,
        amount=amount,
        purpose=purpose or PurposeRef("payments.PayLink", "browser-test"),
        description=description,
        payer=tenant.public_id,
        idempotency_key="browser-test",
    )
    return agency, tenant, intent


def pay_in_browser(page, live_server, intent) -> str:
    """Open the pay link, pay with the sandbox provider, come back; returns the receipt URL."""
    page.goto(live_server.url + intent.pay_url)
    if os.environ.get("HOKWE_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["HOKWE_SCREENSHOTS"], "pay-link.png"), full_page=True)
    assert "FCFA" in page.get_by_test_id("amount").inner_text()
    assert "75" in page.get_by_test_id("amount").inner_text()
    assert page.get_by_text("Agence Immobilière Les Cocotiers").is_visible()
    page.get_by_test_id("pay-mobile_money").click()
    page.wait_for_url("**/pay/sandbox/**")
    if os.environ.get("HOKWE_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["HOKWE_SCREENSHOTS"], "sandbox.png"), full_page=True)
    assert "SIMULATION" in page.get_by_test_id("sandbox-label").inner_text().upper()
    page.get_by_test_id("sandbox-approve").click()
    page.wait_for_url(f"**{intent.pay_url}")
    page.get_by_test_id("status-paid").wait_for()
    if os.environ.get("HOKWE_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["HOKWE_SCREENSHOTS"], "pay-result.png"), full_page=True)
    return page.get_by_test_id("receipt-link").get_attribute("href")


def test_a_tenant_pays_a_pay_link(browser_page, live_server):
    agency, tenant, intent = pay_link_for()
    receipt_url = pay_in_browser(browser_page, live_server, intent)

    paid = api.get_intent(intent.public_id)
    assert paid.status == IntentStatus.SUCCEEDED and paid.provider == "sandbox"
    assert ledger.balance(account=paid.credit_account).posted == 75_000
    assert OutboxEvent.objects.filter(
        name="payments.PaymentSucceeded", payload__intent_id=str(intent.public_id)
    ).exists()

    browser_page.goto(live_server.url + receipt_url if receipt_url.startswith("/") else receipt_url)
    assert browser_page.get_by_test_id("receipt-number").inner_text() == paid.receipt_number
    assert "FCFA" in browser_page.get_by_test_id("receipt-amount").inner_text()
