"""The agency's calendar and the shell's search box in a real browser, on a phone (390×844) and
a laptop (1366×768): the month grid on the laptop, the agenda list on the phone, the
holidays of the organization's country, no sideways overflow, no console error (a CSP
violation included)."""

from datetime import date

import pytest
from django.utils import timezone

from tests.fixtures.estate import first_of_month, lease_for, managed_property
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def office(db):
    agency = OrganizationFactory(name="Agence Les Filaos", kind="agency", country="BJ")
    manager = MembershipFactory(
        organization=agency, role="manager", user=UserFactory(full_name="Serge Dossou")
    ).user
    prop = managed_property(agency, name="Résidence des Filaos avec un nom assez long pour une case")
    today = timezone.localdate()
    for i in range(5):  # five dues on the same day: the cell shows three and « + 2 »
        lease_for(
            manager,
            prop,
            UserFactory(full_name=f"Locataire Numéro {i} Avec Un Nom Long", phone=f"+22901970000{i:02d}"),
            unit_label=f"Appartement-{i}",
            start_date=first_of_month(today, 2),
        )
    return {"manager": manager, "today": today}


def open_page(browser, live_server, user, viewport, path):
    page = browser.new_page(locale="fr-FR", viewport=viewport)
    page.set_default_timeout(15_000)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/manager/login/")
    page.fill("input[name=username]", str(user.phone))
    page.fill("input[name=password]", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=app-nav]")
    page.goto(f"{live_server.url}{path}")
    return page, errors


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_month_grid_on_a_laptop(browser, live_server, office):
    month = f"{office['today']:%Y}-12"  # December: Christmas is a public holiday in Benin
    page, errors = open_page(
        browser, live_server, office["manager"], LAPTOP, f"/manager/calendar/?month={month}"
    )
    assert page.is_visible("[data-testid=cal-grid]")
    assert not page.is_visible("[data-testid=cal-agenda]")
    christmas = date(office["today"].year, 12, 25)
    cell = page.locator(f'td[data-day="{christmas.isoformat()}"]')
    assert "holiday" in cell.get_attribute("class")
    assert cell.locator("[data-kind=holiday]").is_visible()
    grid = page.locator("[data-testid=cal-grid]").bounding_box()
    assert grid["x"] >= 0 and grid["x"] + grid["width"] <= LAPTOP["width"]
    assert overflow(page) <= 0
    assert errors == []


def test_the_agenda_on_a_phone(browser, live_server, office):
    page, errors = open_page(browser, live_server, office["manager"], PHONE, "/manager/calendar/")
    assert page.is_visible("[data-testid=cal-agenda]")
    assert not page.is_visible("[data-testid=cal-grid]")
    assert page.locator("[data-testid=cal-agenda] [data-kind=due]").count() == 5
    assert page.locator("[data-testid=cal-agenda] [data-kind=due]").first.is_visible()
    assert overflow(page) <= 0
    page.click("[data-testid=cal-next]")
    page.wait_for_load_state()
    assert overflow(page) <= 0
    assert errors == []


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_shell_search_box(browser, live_server, office, viewport):
    page, errors = open_page(browser, live_server, office["manager"], viewport, "/manager/calendar/")
    box = page.locator("[data-testid=shell-search] input")
    assert box.is_visible()
    assert overflow(page) <= 0
    box.fill("97 00 00 03")
    box.press("Enter")
    page.wait_for_url("**/manager/search/?q=*")
    assert page.locator("[data-testid=search-results] [data-kind=tenant]").count() == 1
    assert "Locataire Numéro 3" in page.inner_text("[data-testid=search-results]")
    assert overflow(page) <= 0
    assert errors == []
