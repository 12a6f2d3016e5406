"""The suspense queue in a real browser (Playwright, Debian's Chromium, live_server): a finance
staff member at 390 px (a phone) and at 1366 px opens the queue, then an item, applies it to
a payment from its pay token, confirms, and the payment is paid. No sideways scroll."""

from __future__ import annotations

import pytest

from apps.payments.models import PaymentIntent
from tests.identity.factories import OrganizationFactory, UserFactory

from .conftest import make_intent
from .test_suspense import arrive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.mark.parametrize("viewport", [(390, 844), (1366, 768)])
def test_finance_applies_money_in_suspense_from_the_queue(browser, live_server, settings, viewport):
    settings.PAYMENT_PROVIDERS = ["sandbox"]
    finance = UserFactory(is_staff=True, staff_role="finance", full_name="Awa Finance")
    org = OrganizationFactory(name="Agence Suspense")
    item = arrive(45_000)
    intent = make_intent(org, amount=45_000, description="Loyer mai 2026 — B2")
    width, height = viewport
    page = browser.new_page(locale="fr-FR", viewport={"width": width, "height": height})
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/manager/login/")
    page.fill("input[name=username]", str(finance.phone))
    page.fill("input[name=password]", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/manager/payments/finance/suspense")
    page.wait_for_selector("h1:has-text('Argent en attente')")
    assert page.evaluate(NO_OVERFLOW)
    page.click(f"a[href$='{item.public_id}']")
    page.wait_for_selector("[data-testid=apply]")
    assert page.evaluate(NO_OVERFLOW)
    page.fill("input[name=target]", intent.pay_token)
    page.click("[data-testid=apply] button[type=submit]")
    page.wait_for_selector("text=Appliquer 45")
    assert page.evaluate(NO_OVERFLOW)
    page.click("main form button[type=submit]:has-text('Appliquer')")
    page.wait_for_selector("text=le paiement est réglé")
    intent = PaymentIntent.objects.get(pk=intent.pk)
    assert intent.status == "succeeded"
