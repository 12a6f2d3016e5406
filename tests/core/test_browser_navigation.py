"""The app shell's menu in a real browser, on a phone (390×844) and a laptop (1366×768), for
an agency manager and a collector: no sideways overflow, the bottom bar on the phone and the
top menu on the laptop, « Plus » opens the rest without inline script, no console error (a
CSP violation included)."""

import pytest

from tests.core.test_browser_crawl import COVERED
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def people(db):
    agency = OrganizationFactory(name="Agence Les Cocotiers", kind="agency")
    return {
        "manager": MembershipFactory(
            organization=agency, role="manager", user=UserFactory(full_name="Serge Dossou")
        ).user,
        "collector": MembershipFactory(
            organization=agency, role="collector", user=UserFactory(full_name="Gildas Tossou")
        ).user,
    }


def open_home(browser, live_server, user, viewport):
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
    return page, errors


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def visible_entries(page, where: str) -> list[str]:
    """The menu's entries a person sees: `bar` (the top bar or the bottom bar) or `more`."""
    selector = ".appnav-bar > li > a[data-nav]" if where == "bar" else ".more-menu a[data-nav]"
    return page.eval_on_selector_all(
        selector,
        "links => links.filter(a => a.offsetParent !== null).map(a => a.dataset.nav)",
    )


def test_the_manager_on_a_phone_has_a_bottom_bar_and_more(browser, live_server, people):
    page, errors = open_home(browser, live_server, people["manager"], PHONE)
    assert overflow(page) <= 0
    bar = page.locator("[data-testid=app-nav]")
    box = bar.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(PHONE["height"], abs=1)  # fixed at the bottom
    assert box["width"] == pytest.approx(PHONE["width"], abs=1)
    assert box["height"] < 90  # one row, never wrapping
    bottom = visible_entries(page, "bar")
    assert bottom == ["dashboard", "leases", "dues", "recovery"]
    assert page.is_visible("[data-testid=nav-more]")
    assert not page.is_visible(".more-menu a[data-nav=statements]")
    page.click("[data-testid=nav-more]")
    extra = visible_entries(page, "more")
    assert {"properties", "receipts", "maintenance", "statements", "payments", "team", "profile"} <= set(
        extra
    )
    assert not set(extra) & set(bottom)
    menu = page.locator(".more-menu").bounding_box()
    assert menu["x"] >= 0 and menu["x"] + menu["width"] <= PHONE["width"]
    page.click(".more-menu a[data-nav=statements]")
    page.wait_for_url("**/manager/estate/statements/")
    assert page.get_attribute(".appnav-bar a[data-nav=statements]", "aria-current") == "page"
    assert overflow(page) <= 0
    page.click("[data-testid=nav-more]")
    page.click("main h1")  # a click elsewhere closes « Plus » (static/js/hokwe.js)
    assert not page.is_visible(".more-menu")
    assert errors == []


def test_the_manager_on_a_laptop_has_one_clean_top_bar(browser, live_server, people):
    page, errors = open_home(browser, live_server, people["manager"], LAPTOP)
    assert overflow(page) <= 0
    header = page.locator("header.topbar").bounding_box()
    # An agency's nine areas do not fit beside the search box at 1366 px: two rows (tools, then
    # the menu), never an entry slid under the tools.
    assert header["y"] < 60 and header["height"] < 100
    assert page.evaluate(COVERED) == []
    top = visible_entries(page, "bar")
    assert top[:7] == ["dashboard", "properties", "leases", "dues", "receipts", "maintenance", "statements"]
    assert {"recovery", "payments"} <= set(top)
    assert "team" not in top and "profile" not in top
    page.click("[data-testid=nav-more]")
    assert {"team", "kyb", "profile"} <= set(visible_entries(page, "more"))
    page.keyboard.press("Escape")
    assert not page.is_visible(".more-menu")
    page.click(".appnav-bar a[data-nav=recovery]")
    page.wait_for_selector("[data-testid=section-nav]")
    assert overflow(page) <= 0
    assert errors == []


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_collector_lands_on_the_worklist_with_its_own_menu(browser, live_server, people, viewport):
    page, errors = open_home(browser, live_server, people["collector"], viewport)
    page.wait_for_url("**/recover/field/")
    assert overflow(page) <= 0
    assert visible_entries(page, "bar") == ["worklist", "point-of-sale", "profile"]
    assert not page.is_visible("[data-testid=nav-more]")  # three entries: no « Plus »
    bar = page.locator("[data-testid=app-nav]").bounding_box()
    if viewport is PHONE:
        assert bar["y"] + bar["height"] == pytest.approx(PHONE["height"], abs=1)
    else:
        assert bar["y"] < 60
    page.goto(f"{live_server.url}/manager/estate/leases/")
    assert page.locator("text=Nouveau bail").count() == 0
    assert errors == []
