"""The point of sale at a counter, on a phone (390×844) in a real Chromium (issue 18): a large
QR, the payer's status switching to paid live (htmx polling, no reload) once the sandbox
phone approves, a receipt to print or share by WhatsApp or SMS, the day's cash and the cash
report without horizontal overflow, and a bad payer's phone refused before anything is sent."""

import os

import pytest

from apps.payments.models import PaymentIntent, SandboxTransaction
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("HOKWE_SCREENSHOTS")


@pytest.fixture
def agent(db, settings):
    settings.PAYMENT_PROVIDERS = ["sandbox"]
    settings.PAYMENT_ROUTES = ""
    org = OrganizationFactory(name="Boutique Les Cocotiers", country="BJ")
    return MembershipFactory(
        organization=org, role="collector", user=UserFactory(full_name="Koffi Caisse")
    ).user


@pytest.fixture
def phone_page(browser, live_server, agent):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.problems = []
    page.on(
        "console", lambda m: m.type == "error" and "favicon" not in m.text and page.problems.append(m.text)
    )
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.goto(f"{live_server.url}/manager/login/")
    page.fill("input[name=username]", str(agent.phone))
    page.fill("input[name=password]", "secret-pass-123")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    yield page
    context.close()


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"pos-{name}.png"), full_page=True)


def test_a_bad_payer_phone_is_refused_before_anything_is_sent(phone_page, live_server):
    page = phone_page
    page.goto(f"{live_server.url}/merchant/")
    assert page.locator("input[name=amount]").get_attribute("inputmode") == "numeric"
    phone = page.locator("input[name=payer_phone]")
    assert phone.get_attribute("inputmode") == "tel" and phone.get_attribute("autocomplete") == "tel"
    page.fill("input[name=amount]", "5 000")
    page.fill("input[name=description]", "Charges")
    page.check("input[name=action][value=push]")
    page.fill("input[name=payer_phone]", "999")
    with page.expect_navigation():
        page.click("[data-testid=pos-submit]")
    error = page.locator(".field-error[data-field=payer_phone]")
    assert "numéro" in error.inner_text().lower()
    assert "Demande envoyée" not in page.content()
    assert not PaymentIntent.objects.exists() and not SandboxTransaction.objects.exists()
    assert page.locator("input[name=amount]").input_value() == "5 000"  # what was typed stays
    assert overflow(page) <= 0
    shot(page, "bad-phone")


def test_push_qr_live_status_receipt_and_cash_report_on_a_phone(phone_page, browser, live_server):
    page = phone_page
    page.goto(f"{live_server.url}/merchant/")
    assert overflow(page) <= 0
    page.fill("input[name=amount]", "15 000")
    page.fill("input[name=description]", "Loyer avril — porte 4")
    page.check("input[name=action][value=push]")
    page.fill("input[name=payer_phone]", "01 61 00 00 09")  # the local way of writing it
    with page.expect_navigation():
        page.click("[data-testid=pos-submit]")
    page.locator("[data-testid=pos-qr] svg").wait_for()
    assert SandboxTransaction.objects.get().phone == "+2290161000009"
    assert page.locator("[data-testid=pos-qr] svg").bounding_box()["width"] >= 260
    assert "attente" in page.locator("[data-testid=pos-status]").inner_text().lower()
    assert overflow(page) <= 0
    shot(page, "waiting")

    page.evaluate("window.notReloaded = true")  # a reload would lose it
    payer = page.context.new_page()  # the payer's phone (the sandbox simulates it)
    payer.goto(live_server.url + page.get_by_test_id("sandbox-phone").get_attribute("href"))
    # the approval's POST answered before its tab closes (closing it mid-navigation once hung
    # Chromium for the test's whole 8 minutes)
    with payer.expect_navigation():
        payer.get_by_test_id("sandbox-approve").click()
    payer.close()

    page.locator("[data-testid=pos-status].st-succeeded").wait_for()
    page.get_by_test_id("pos-receipt").wait_for()
    assert page.evaluate("window.notReloaded === true")
    intent = PaymentIntent.objects.get()
    assert intent.status == "succeeded"
    assert page.get_by_test_id("receipt-number").inner_text() == intent.receipt_number
    assert page.locator("[data-testid=pos-status]").get_attribute("hx-get") is None  # polling stopped
    whatsapp = page.get_by_test_id("share-whatsapp").get_attribute("href")
    sms = page.get_by_test_id("share-sms").get_attribute("href")
    assert (
        whatsapp.startswith("https://wa.me/") and "?text=" in whatsapp and intent.receipt_number in whatsapp
    )
    assert sms.startswith("sms:") and "?body=" in sms and intent.receipt_number in sms
    assert page.get_by_test_id("receipt-print").is_visible()
    assert overflow(page) <= 0
    shot(page, "paid")

    # cash at the counter, then the day's total and the report fit the phone
    page.goto(f"{live_server.url}/merchant/")
    page.fill("input[name=amount]", "7500")
    page.fill("input[name=description]", "Eau et électricité de mars, appartement B2 résidence Fidjrossè")
    page.fill("input[name=payer_name]", "Prisca Amoussou-Hounkpatin")
    with page.expect_navigation():
        page.click("[data-testid=pos-submit]")
    page.get_by_test_id("pos-receipt").wait_for()
    page.goto(f"{live_server.url}/merchant/")
    assert "7\u202f500" in page.get_by_test_id("pos-today").inner_text()
    assert overflow(page) <= 0
    shot(page, "home")
    page.get_by_test_id("pos-today").click()
    page.get_by_test_id("report-rows").wait_for()
    assert "Prisca" in page.get_by_test_id("report-rows").inner_text()
    assert overflow(page) <= 0
    shot(page, "cash-report")
    assert page.problems == []


def test_the_status_of_another_organizations_payment_is_a_404(client, agent):
    from apps.payments import api
    from apps.payments.contracts import PurposeRef

    other = OrganizationFactory(name="Autre Boutique")
    intent = api.create_intent(
        organization=other.public_id,
        amount=1000,
        purpose=PurposeRef("payments.MerchantSale", "x"),
        description="Autre",
        idempotency_key="other-status",
    )
    client.force_login(agent)
    assert client.get(f"/merchant/payments/{intent.public_id}/status").status_code == 404
    assert client.get(f"/merchant/payments/{intent.public_id}").status_code == 404
