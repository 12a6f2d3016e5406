"""« Sécurité » in a real browser, on a phone (390×844) and a laptop (1366×768): an owner sees
that they must enrol, adds an authenticator app by its QR code (the test computes the app's
code from the secret shown on the page, as the app would), keeps the recovery codes shown
once, and the banner is gone."""

import base64

import pytest
from django.core.cache import cache
from django_otp.oath import totp

from apps.identity.models import Membership
from tests.identity.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 768)])
def test_an_owner_adds_an_authenticator_app(browser, live_server, width, height):
    cache.clear()
    owner = MembershipFactory(role=Membership.Role.OWNER, user=UserFactory(full_name="Mathieu Adjovi")).user
    owner.set_password("secret-pass-123")
    owner.save()
    page = browser.new_page(locale="fr-FR", viewport={"width": width, "height": height})
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/manager/login/")
    page.fill("input[name=username]", str(owner.phone))
    page.fill("input[name=password]", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/manager/identity/profile/")
    assert page.locator("[data-testid=enrol-banner]").count() == 1  # owners must enrol
    page.click("[data-testid=enrol-banner]")
    assert "Sécurité" in page.locator("h1").inner_text()
    assert page.locator("[data-testid=security-must-enrol]").is_visible()
    _no_overflow(page)
    page.fill("input[name=name]", "Téléphone de Mathieu")
    page.click("[data-testid=totp-add]")
    page.wait_for_selector("[data-testid=totp-qr]")
    _no_overflow(page)
    secret = page.locator("[data-testid=totp-secret]").inner_text().strip()
    page.fill("input[name=code]", f"{totp(base64.b32decode(secret)):06d}")
    page.click("[data-testid=totp-confirm]")
    page.wait_for_selector("[data-testid=recovery-codes]")
    assert page.locator(".recovery-codes li").count() == 10
    _no_overflow(page)
    page.click("text=Je les ai notés")
    page.wait_for_selector("[data-testid=factor-list]")
    assert "Téléphone de Mathieu" in page.locator("[data-testid=factor]").inner_text()
    assert page.locator("[data-testid=enrol-banner]").count() == 0
    page.close()
