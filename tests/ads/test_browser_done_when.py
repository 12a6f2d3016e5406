"""Issue 26's "done when", in a browser (Chromium through Playwright):

1. an agency's manager (1366 px) opens « Publicité », creates a campaign promoting its
   verified listing with a 10,000 FCFA budget (5,000 FCFA a click, so two clicks spend it)
   and starts it after the confirmation page;
2. two seekers on phones (390 px) search Cotonou: the listing shows apart, labelled
   « Sponsorisé »; each clicks it and lands on the listing;
3. the clicks are counted and charged: the campaign's page says 10 000 FCFA charged, the
   budget spent, and a third seeker's search shows nothing sponsored any more.

No horizontal overflow at 390 px and 1366 px, no console error on the way."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from tests.fixtures.ads import ads_world
from tests.fixtures.browser import check_widths, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ADS_SHOTS", "")
PHONES = [
    "Mozilla/5.0 (Linux; Android 13; Tecno Spark 10) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 12; itel A70) AppleWebKit/537.36 Chrome/119.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; Infinix Hot 40) AppleWebKit/537.36 Chrome/121.0 Mobile Safari/537.36",
]


def _norm(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_an_agency_promotes_a_listing_until_its_budget_is_spent(browser, live_server, settings):
    from apps.ads.models import Campaign
    from apps.ads.services import charging

    settings.MARKET_TILE_URL = ""
    world = ads_world(balance=10_000, neighbourhood="Fidjrossè")
    base = live_server.url
    problems: list[str] = []
    console: list[str] = []

    def watch(page):
        page.set_default_timeout(20_000)
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: console.append(str(e)))

    agency = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")
    agency.add_cookies([session_cookie(world.manager, base)])
    manager = agency.new_page()
    watch(manager)
    try:
        manager.goto(f"{base}{reverse('manager:ads-home')}")
        assert "10 000" in _norm(manager.get_by_test_id("ads-balance").inner_text())
        check_widths(manager, "ads-home", problems, console, shots=SHOTS)
        manager.get_by_test_id("ads-new-campaign").click()
        form = manager.get_by_test_id("ads-campaign-form")
        form.wait_for()
        manager.locator("#id_name").fill("Studio Fidjrossè à la une")
        manager.locator("#id_listing").select_option(str(world.listing.public_id))
        manager.locator("#id_pricing").select_option("cpc")
        manager.locator("#id_bid").fill("5000")
        manager.locator("#id_total_budget").fill("10000")
        manager.locator("#id_cities").fill("Cotonou")
        check_widths(manager, "ads-new", problems, console, shots=SHOTS)
        manager.locator("form[data-testid=ads-campaign-form] button[type=submit]").click()
        manager.get_by_test_id("ads-activate").click()
        assert "10 000" in _norm(manager.content())  # the confirmation states the budget
        check_widths(manager, "ads-confirm", problems, console, shots=SHOTS)
        manager.locator("button[type=submit]").filter(has_text="Démarrer").click()
        manager.get_by_test_id("ads-campaign-status").wait_for()
        assert "active" in manager.get_by_test_id("ads-campaign-status").inner_text().lower()
        campaign = Campaign.objects.get(name="Studio Fidjrossè à la une")

        for ua in PHONES[:2]:
            seeker = browser.new_context(
                viewport={"width": 390, "height": 844}, locale="fr-FR", user_agent=ua
            )
            page = seeker.new_page()
            watch(page)
            page.goto(f"{base}/market/search?city=Cotonou")
            sponsored = page.get_by_test_id("sponsored")
            sponsored.wait_for()
            assert "Sponsorisé" in sponsored.inner_text()
            assert world.listing.title in sponsored.inner_text()
            check_widths(page, "ads-search", problems, console, shots=SHOTS)
            sponsored.locator("h3 a").first.click()
            page.get_by_test_id("listing").wait_for()
            assert str(world.listing.public_id) in page.url
            seeker.close()

        charging.sync()
        campaign.refresh_from_db()
        assert (campaign.clicks, campaign.charged, campaign.status) == (2, 10_000, "exhausted")
        manager.goto(f"{base}{reverse('manager:ads-campaign', args=[campaign.public_id])}")
        assert "10 000" in _norm(manager.get_by_test_id("ads-charged").inner_text())
        assert "2" in manager.get_by_test_id("ads-report-total").inner_text()
        check_widths(manager, "ads-campaign", problems, console, shots=SHOTS)

        late = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="fr-FR", user_agent=PHONES[2]
        )
        page = late.new_page()
        watch(page)
        page.goto(f"{base}/market/search?city=Cotonou")
        page.get_by_test_id("results").wait_for()
        assert page.get_by_test_id("sponsored").count() == 0
        late.close()
    finally:
        agency.close()
    assert not problems, problems
