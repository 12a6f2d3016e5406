"""The booking web app and the agent's calendar in a browser (Chromium through Playwright):
at 390 px and 1366 px no horizontal overflow and no console error — the listing's slots, the
confirmation, the manage page after moving the visit, the cancel confirmation; the agent's
week with a visit and open slots, marking it once started is offered."""

from __future__ import annotations

import os
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.fixtures.browser import check_widths, session_cookie
from tests.fixtures.market import visits_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("MARKET_SHOTS", "")


def test_booking_and_the_calendar_fit_a_phone_and_a_laptop(browser, live_server):
    from apps.market.models import VisitBooking
    from apps.market.services import visits

    world = visits_world(title="Appartement trois pièces avec un très long titre à Haie Vive, Cotonou")
    # All five slots in one calendar week (Monday and Tuesday of a week at least two days off),
    # whatever the day and hour the test runs: the booked visit's week must still show open ones.
    now = timezone.localtime()
    monday = (now + timedelta(days=2)).date()
    monday += timedelta(days=(7 - monday.weekday()) % 7)
    anchor = timezone.make_aware(datetime.combine(monday, time(9, 0)))
    for offset in (0, 1, 2, 24, 25):
        start = anchor + timedelta(hours=offset)
        visits.slots_create(
            actor=world.host,
            listing=world.listing,
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            meeting_point="Devant la pharmacie du carrefour",
        )
    base = live_server.url
    problems: list[str] = []
    console: list[str] = []
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    try:
        page.goto(base + reverse("market:booking-listing", args=[world.listing.public_id]))
        page.get_by_test_id("book-form").wait_for()
        check_widths(page, "booking-slots", problems, console, shots=SHOTS)
        page.get_by_test_id("book").click()  # nothing chosen: the form says so
        page.get_by_test_id("slot-error").wait_for()
        console.clear()  # that answer was a 400 on purpose (a form error)
        page.get_by_test_id("slot").first.check()
        page.locator("input[name=name]").fill("Afi Mensah")
        page.locator("input[name=phone]").fill("97 12 34 56")
        page.get_by_test_id("book").click()
        page.get_by_test_id("booking-code").wait_for()
        check_widths(page, "booking-booked", problems, console, shots=SHOTS)
        page.get_by_test_id("slot").last.check()
        page.get_by_test_id("reschedule").click()
        page.get_by_test_id("booked").wait_for()
        check_widths(page, "booking-moved", problems, console, shots=SHOTS)
        page.get_by_test_id("cancel").click()
        page.get_by_role("button", name="Annuler la visite").wait_for()
        check_widths(page, "booking-cancel", problems, console, shots=SHOTS)
    finally:
        context.close()
    booking = VisitBooking.objects.get(status="booked")
    assert booking.seeker_phone == "+2290197123456" and booking.rescheduled_from is not None

    agent = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")
    agent.add_cookies([session_cookie(world.host, base)])
    page = agent.new_page()
    page.set_default_timeout(20_000)
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    try:
        day = timezone.localtime(booking.starts_at).date()
        page.goto(base + reverse("manager:market-visits") + f"?week={day.isoformat()}")
        page.get_by_text("Afi Mensah").first.wait_for()
        assert page.get_by_test_id("open-slot").count() >= 1
        check_widths(page, "visits-week", problems, console, shots=SHOTS)
        page.goto(base + reverse("manager:market-visits") + f"?week={(day + timedelta(days=7)).isoformat()}")
        page.get_by_test_id("publish-form").wait_for()
        check_widths(page, "visits-next-week", problems, console, shots=SHOTS)
    finally:
        agent.close()
    assert problems == []
