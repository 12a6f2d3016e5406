"""The public market pages in a browser at 390 px (a phone) and 1366 px (a laptop): the home,
the results with the map (behind its toggle on a phone; Leaflet draws the markers), a listing
with its small map. No horizontal overflow, no console error (a CSP violation included).
The map tiles are switched off (MARKET_TILE_URL empty): the test machine has no Internet.
Screenshots go to $MARKET_SHOTS when set."""

from __future__ import annotations

import os

import pytest

from tests.fixtures.browser import check_widths, session_cookie
from tests.identity.factories import UserFactory
from tests.market.test_public_pages import POINT, make_listing, page_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("MARKET_SHOTS", "")


def test_public_pages_at_390_and_1366_px(browser, live_server, settings):
    settings.MARKET_TILE_URL = ""
    listing = make_listing()
    make_listing(title="Studio meublé à Cadjèhoun", kind="studio", neighbourhood="Cadjèhoun", longitude=2.37)
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(20_000)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    page.on("response", lambda r: console.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    problems: list[str] = []
    try:
        page.goto(f"{base}/market/")
        page.get_by_test_id("search-form").wait_for()
        check_widths(page, "market-home", problems, console, shots=SHOTS)

        page.locator("#id_q").fill("fidjrose")
        page.get_by_test_id("search-submit").click()
        page.get_by_test_id("results").wait_for()
        assert listing.title in page.get_by_test_id("results").inner_text()
        assert page.url.endswith("/market/search?q=fidjrose&sort=relevance")  # no empty criteria
        # a phone: the map is behind its toggle, drawn when opened
        assert not page.get_by_test_id("results-map").is_visible()
        page.get_by_test_id("map-toggle").click()
        page.locator("[data-testid=results-map].leaflet-container").wait_for()
        assert page.locator(".leaflet-marker-icon").count() == 1  # the one result
        check_widths(page, "market-results", problems, console, shots=SHOTS)
        # a laptop: the map beside the results, no toggle
        page.set_viewport_size({"width": 1366, "height": 768})
        assert page.get_by_test_id("results-map").is_visible()
        assert not page.get_by_test_id("map-toggle").is_visible()
        # moving the map offers « Chercher dans cette zone »: the map's bounds become the search's
        assert not page.get_by_test_id("search-area").is_visible()
        box = page.get_by_test_id("results-map").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] / 2 + 30, box["y"] + box["height"] / 2 + 10, steps=5)
        page.mouse.up()
        with page.expect_navigation():
            page.get_by_test_id("search-area").click()
        assert "bounds=" in page.url
        page.get_by_test_id("results").wait_for()
        assert page.locator("[data-testid=listing-card]").count() == 1
        page.set_viewport_size({"width": 390, "height": 844})

        # near a point: the form's position and radius (what a click on the map fills)
        page.goto(f"{base}/market/search?lat={POINT[0]}&lng={POINT[1]}&radius_km=2&q=fidjrose")
        page.get_by_test_id("results").wait_for()
        assert page.locator("[data-testid=listing-card]").count() == 1

        page.locator(f"[data-testid=listing-card] a:text('{listing.title}')").click()
        page.get_by_test_id("listing").wait_for()
        page.locator("[data-testid=listing-map].leaflet-container").wait_for()
        assert page.locator(".leaflet-marker-icon").count() == 1
        assert "Vérifié par Hokwe" in page.get_by_test_id("verified-badge").inner_text()
        check_widths(page, "market-listing", problems, console, shots=SHOTS)

        # signed in: a favourite, then the seeker's own page
        context.add_cookies([session_cookie(UserFactory(), base)])
        page.reload()
        page.get_by_test_id("favourite").click()
        page.get_by_test_id("favourite").wait_for()
        assert "Dans vos favoris" in page.get_by_test_id("favourite").inner_text()
        page.get_by_test_id("market-me-link").click()
        page.get_by_test_id("me-favourites").wait_for()
        assert listing.title in page.get_by_test_id("me-favourites").inner_text()
        assert listing.title in page.get_by_test_id("me-recent").inner_text()
        check_widths(page, "market-me", problems, console, shots=SHOTS)
    finally:
        context.close()
    assert problems == []


def test_the_map_tiles_load_from_another_host_under_the_csp(browser, live_server, settings, httpserver):
    """A tile server on another origin (here a local one speaking the tile URL scheme): the
    listing's map loads its tiles, the page policy lets that host's images in, and nothing
    is blocked."""
    import re

    from django.contrib.staticfiles import finders

    with open(finders.find("vendor/leaflet/images/marker-shadow.png"), "rb") as handle:
        png = handle.read()
    httpserver.expect_request(re.compile(r"^/tiles/\d+/\d+/\d+\.png$")).respond_with_data(
        png, content_type="image/png"
    )
    settings.MARKET_TILE_URL = httpserver.url_for("/tiles/") + "{z}/{x}/{y}.png"
    listing = make_listing()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(20_000)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    try:
        page.goto(live_server.url + page_url(listing))
        page.locator("[data-testid=listing-map] img.leaflet-tile-loaded").first.wait_for()
        assert page.locator("[data-testid=listing-map] img.leaflet-tile-loaded").count() >= 1
        assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    finally:
        context.close()
    assert console == []


def test_search_around_me_uses_the_phones_position(browser, live_server, settings):
    """« Autour de moi »: the browser's position (granted) fills the point, 2 km, and searches."""
    settings.MARKET_TILE_URL = ""
    near = make_listing()
    far = make_listing(title="Villa à Porto-Novo", city="Porto-Novo", latitude=6.4969, longitude=2.6289)
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="fr-FR",
        geolocation={"latitude": POINT[0], "longitude": POINT[1]},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(f"{live_server.url}/market/")
        with page.expect_navigation():
            page.get_by_test_id("near-me").click()
        page.get_by_test_id("results").wait_for()
        assert "radius_km=2" in page.url and "lat=6.35470" in page.url
        text = page.get_by_test_id("results").inner_text()
        assert near.title in text and far.title not in text
    finally:
        context.close()
