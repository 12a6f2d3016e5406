"""The property page's valuation panel in a real browser, French first, on a phone (390 px)
and a laptop (1366 px): each unit's estimate and range, nothing cut off or scrolling sideways."""

import os

import pytest

from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.scoring.test_valuation import _store, build_market

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("HOKWE_SCREENSHOTS", "")  # a folder: keep the screenshots to look at


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 900)])
def test_property_page_shows_the_estimates(browser, live_server, settings, width, height):
    settings.SCORING_VALUATION_MIN_ROWS = 100
    agency = OrganizationFactory(name="Agence Estimation Navigateur", kind="agency")
    manager = MembershipFactory(
        organization=agency, role="owner", user=UserFactory(full_name="Rosine Agossou")
    ).user
    market = build_market(agency)
    _store()
    page = browser.new_page(locale="fr-FR", viewport={"width": width, "height": height})
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/manager/login/")
    page.fill("input[name=username]", str(manager.phone))
    page.fill("input[name=password]", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Tableau de bord")
    page.goto(f"{live_server.url}/manager/estate/properties/{market['property'].public_id}/")
    panel = page.locator("[data-testid=valuation-panel]")
    panel.wait_for()
    assert "Estimations de loyer et de prix" in panel.inner_text()
    rows = page.locator("[data-testid=valuation]")
    assert rows.count() == 2
    first = rows.nth(0).inner_text()
    assert "CS-1" in first and "FCFA" in first and "de " in first and "baux comparables et le modèle" in first
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width  # nothing sideways
    if SHOTS:
        panel.scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/valuation-{width}.png", full_page=True)
