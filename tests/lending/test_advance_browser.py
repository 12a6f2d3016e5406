"""Landlord advances' manager pages in a browser at 390 px and 1366 px, clicking as an owner
does: « Avance sur loyers » → the organization's rents → simulate → apply → the offer and its
key facts → accept (confirmation, the step-up code) → the schedule. No horizontal overflow, no
console error, no 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.fixtures.browser import session_cookie

from .test_browser_loans import _check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_takes_an_advance_in_a_browser(browser, live_server):
    from apps.identity import api as identity
    from apps.identity.services import protection
    from apps.lending.models import Loan
    from apps.lending.services.acceptance import STEP_UP_ACTION
    from tests.helpers import enrol_totp, totp_code
    from tests.identity.conftest import SmsInbox

    from .test_advance import landlord_world

    world = landlord_world()
    inbox = SmsInbox()
    identity.set_otp_sender(inbox)
    device = (
        enrol_totp(world.landlord)
        if protection.needs_strong_factor(world.landlord, action=STEP_UP_ACTION, amount=200_000)
        else None
    )
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    context.add_cookies([session_cookie(world.landlord, base)])
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    page.on("response", lambda r: console.append(f"HTTP {r.status} {r.url}") if r.status >= 500 else None)
    problems: list[str] = []
    try:
        page.goto(base + reverse("manager:lending-advances"))
        page.get_by_test_id("advance-limit").wait_for()
        _check(page, "advance-home", problems, console)
        page.get_by_test_id("advance-start").click()
        page.get_by_test_id("advance-rents").wait_for()
        page.locator("#id_amount").fill("200000")
        page.locator("#id_term").fill("2")
        page.get_by_test_id("advance-simulate").click()
        page.get_by_test_id("advance-simulation").wait_for()
        _check(page, "advance-simulation", problems, console)
        page.get_by_test_id("advance-apply").click()
        page.get_by_test_id("advance-facts").wait_for()
        _check(page, "advance-offer", problems, console)
        page.get_by_test_id("advance-accept").click()
        page.get_by_test_id("confirm").wait_for()
        page.get_by_test_id("confirm-acknowledge").check()
        page.get_by_test_id("confirm-submit").click()
        page.locator("input[name=code]").wait_for()
        _check(page, "advance-accept-code", problems, console)
        code = totp_code(device) if device is not None else inbox.last_code(world.landlord.phone)
        page.locator("input[name=code]").fill(code)
        page.get_by_test_id("confirm-submit").click()
        page.get_by_test_id("advance-schedule").wait_for()
        _check(page, "advance-active", problems, console)
    finally:
        context.close()
        identity.set_otp_sender(None)
    loan = Loan.objects.get(organization=world.owner.public_id)
    assert loan.status == "active" and loan.instalments.count() == 2
    assert problems == []
