"""Issue 23's "done when", in a browser (Chromium through Playwright, the test command's
browser tests):

1. a vacant unit of an agency is published in one click (services.listings.create_from_unit)
   and its agent opens visit slots (services.visits.slots_create);
2. an anonymous visitor on /market/ (a phone, 390 px) types a misspelt neighbourhood
   (« fidjrose » for Fidjrossè) within 2 km of a point, finds the listing, opens it;
3. « Réserver une visite » leads to the booking app (/booking/…): a slot, a name and a phone
   number, booked; the confirmation shows the booking's code;
4. the agent signs in and sees the visit in the calendar of /manager/market/visits/.

No horizontal overflow at 390 px and 1366 px, no console error on the way. The map tiles are
switched off (no Internet on the test machine): Leaflet still draws the markers."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.fixtures.browser import check_widths, session_cookie
from tests.fixtures.market import listings_agency

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("MARKET_SHOTS", "")
POINT = (6.3547, 2.3574)  # a point in Fidjrossè, about 1 km from the unit (6.3554, 2.3660)


def test_a_visitor_finds_a_published_unit_books_a_visit_and_the_agent_sees_it(browser, live_server, settings):
    from apps.market.models import VisitBooking
    from apps.market.services import listings, visits

    settings.MARKET_TILE_URL = ""
    world = listings_agency()
    listing = listings.create_from_unit(actor=world.manager, unit_id=world.unit.public_id)
    assert listing.status == "published" and listing.verified
    start = (timezone.now() + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    visits.slots_create(
        actor=world.manager, listing=listing, starts_at=start, ends_at=start + timedelta(minutes=30)
    )

    base = live_server.url
    problems: list[str] = []
    console: list[str] = []
    visitor = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = visitor.new_page()
    page.set_default_timeout(20_000)
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    page.on("response", lambda r: console.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    try:
        page.goto(f"{base}/market/")
        page.get_by_test_id("search-form").wait_for()
        check_widths(page, "done-home", problems, console, shots=SHOTS)
        page.locator("#id_q").fill("fidjrose")
        page.locator("details summary").first.click()  # « Plus de critères »: the point and the radius
        page.locator("#id_lat").fill(str(POINT[0]))
        page.locator("#id_lng").fill(str(POINT[1]))
        page.locator("#id_radius_km").fill("2")
        page.get_by_test_id("search-submit").click()
        page.get_by_test_id("results").wait_for()
        cards = page.locator("[data-testid=listing-card]")
        assert cards.count() == 1
        assert listing.title in cards.first.inner_text()
        check_widths(page, "done-results", problems, console, shots=SHOTS)

        cards.first.locator("h3 a").click()
        page.get_by_test_id("listing").wait_for()
        assert "Vérifié par Hokwe" in page.get_by_test_id("verified-badge").inner_text()
        check_widths(page, "done-listing", problems, console, shots=SHOTS)

        page.get_by_test_id("book-visit").click()
        page.get_by_test_id("book-form").wait_for()
        page.get_by_test_id("slot").first.check()
        page.locator("input[name=name]").fill("Afi Mensah")
        page.locator("input[name=phone]").fill("+22997123456")
        check_widths(page, "done-booking", problems, console, shots=SHOTS)
        page.get_by_test_id("book").click()
        page.get_by_test_id("booking-code").wait_for()
        code = page.get_by_test_id("booking-code").inner_text().strip()
        check_widths(page, "done-booked", problems, console, shots=SHOTS)
    finally:
        visitor.close()
    booking = VisitBooking.objects.get(listing=listing)
    assert booking.seeker_name == "Afi Mensah" and booking.code in code and booking.seeker_id is None

    agent = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")
    agent.add_cookies([session_cookie(world.manager, base)])
    page = agent.new_page()
    page.set_default_timeout(20_000)
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    try:
        page.goto(
            base + reverse("manager:market-visits") + f"?week={timezone.localtime(start).date().isoformat()}"
        )
        page.get_by_text("Afi Mensah").first.wait_for()
        check_widths(page, "done-calendar", problems, console, shots=SHOTS)
    finally:
        agent.close()
    assert problems == []
