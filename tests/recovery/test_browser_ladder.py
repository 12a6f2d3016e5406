"""The reminder ladder page (« Échelle de relance ») in a real Chromium at 1366×768 (a laptop)
and 390×844 (a phone), issue 18: it renders (no blank page), never overflows sideways, shows
each step as a card on the phone, and a step edited there is saved."""

import os

import pytest
from django.urls import reverse

from apps.recovery import services
from apps.recovery.models import LadderStep
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("HOKWE_SCREENSHOTS")


@pytest.fixture
def manager(db):
    agency = OrganizationFactory(name="Agence Échelle", kind="agency")
    services.ladder_default(organization_id=agency.pk)
    return MembershipFactory(
        organization=agency, role="manager", user=UserFactory(full_name="Awa Gestion")
    ).user


def _open(browser, live_server, manager, width, height):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.problems = []
    page.on(
        "console", lambda m: m.type == "error" and "favicon" not in m.text and page.problems.append(m.text)
    )
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.goto(f"{live_server.url}/manager/login/")
    page.fill("input[name=username]", str(manager.phone))
    page.fill("input[name=password]", "secret-pass-123")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(live_server.url + reverse("manager:recovery-ladder"))
    return context, page


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_the_ladder_page_fits_a_laptop_and_a_phone(browser, live_server, manager, width, height):
    context, page = _open(browser, live_server, manager, width, height)
    steps = page.locator("[data-testid=ladder-step]")
    assert steps.count() >= 3  # the default ladder's steps plus blank ones to add
    assert page.get_by_test_id("ladder-save").is_visible()
    first = steps.first
    for field in ("day_offset", "action", "label", "pay_within_days", "min_amount"):
        assert first.locator(f"[name$='-{field}']").is_visible(), field
    assert _overflow(page) <= 0
    box, main = first.bounding_box(), page.locator("main").bounding_box()
    assert box["x"] >= main["x"] - 1 and box["x"] + box["width"] <= main["x"] + main["width"] + 1
    remove = first.locator("[name$='-DELETE']")
    assert remove.is_visible()
    for field in ("label", "min_amount", "DELETE"):  # every field inside its card, none cut off
        inner = first.locator(f"[name$='-{field}']").bounding_box()
        assert inner["x"] + inner["width"] <= box["x"] + box["width"] + 1, field
    if width < 640:  # a card per step: its fields stacked, not a row of a table
        label, action = (
            first.locator("[name$='-label']").bounding_box(),
            first.locator("[name$='-action']").bounding_box(),
        )
        assert label["y"] > action["y"]
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"ladder-{width}.png"), full_page=True)
    assert page.problems == []
    context.close()


def test_a_step_edited_on_a_phone_is_saved(browser, live_server, manager):
    context, page = _open(browser, live_server, manager, 390, 844)
    page.locator("[data-testid=ladder-step]").first.locator("[name$='-label']").fill("Petit rappel amical")
    with page.expect_navigation():
        page.get_by_test_id("ladder-save").click()
    page.locator(".messages").wait_for()
    assert LadderStep.objects.filter(label="Petit rappel amical", is_active=True).exists()
    context.close()
