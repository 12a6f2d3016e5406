"""The social pages in a browser (Chromium through Playwright) on the sandbox network: at
390 px and 1366 px no horizontal overflow and no console error — the home page, choosing the
page after the « dialog », the publish form, the post with its results, the boost form and
its confirmation, the disconnect confirmation."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from tests.fixtures.ads import social_world
from tests.fixtures.browser import check_widths, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ADS_SHOTS", "")


def test_the_social_pages_fit_a_phone_and_a_laptop(browser, live_server, settings):
    from apps.ads.models import SocialConnection, SocialPost

    settings.ADS_SOCIAL_NETWORK = "sandbox"
    world = social_world(org_name="Agence Réseaux Sociaux de Cotonou avec un nom assez long")
    SocialConnection.objects.all().delete()
    base = live_server.url
    problems: list[str] = []
    console: list[str] = []
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    context.add_cookies([session_cookie(world.manager, base)])
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    try:
        page.goto(base + reverse("manager:ads-social"))
        page.get_by_test_id("sandbox").wait_for()
        check_widths(page, "social-home", problems, console, shots=SHOTS)
        page.get_by_test_id("connect").click()
        page.get_by_test_id("page-choice").first.wait_for()
        check_widths(page, "social-choose", problems, console, shots=SHOTS)
        page.locator("select[name=ad_account_id]").select_option(index=1)
        page.get_by_test_id("choose").click()
        page.get_by_test_id("connection").wait_for()
        page.get_by_test_id("publish-link").click()
        page.get_by_test_id("publish-form").wait_for()
        check_widths(page, "social-publish", problems, console, shots=SHOTS)
        page.locator("select[name=listing]").select_option(str(world.listing.public_id))
        page.get_by_test_id("publish").click()
        page.get_by_test_id("post-status").wait_for()
        check_widths(page, "social-post", problems, console, shots=SHOTS)
        page.get_by_test_id("boost-link").click()
        page.get_by_test_id("boost-form").wait_for()
        check_widths(page, "social-boost", problems, console, shots=SHOTS)
        page.locator("input[name=budget]").fill("15000")
        page.get_by_test_id("boost-next").click()
        page.get_by_test_id("boost-summary").wait_for()
        check_widths(page, "social-boost-confirm", problems, console, shots=SHOTS)
        page.get_by_test_id("confirm-boost").click()
        page.get_by_test_id("post-status").wait_for()
        page.goto(base + reverse("manager:ads-social"))
        page.get_by_test_id("post").first.wait_for()
        check_widths(page, "social-home-posts", problems, console, shots=SHOTS)
        connection = SocialConnection.objects.get()
        page.goto(base + reverse("manager:ads-social-disconnect", args=[connection.public_id]))
        page.get_by_test_id("confirm-disconnect").wait_for()
        check_widths(page, "social-disconnect", problems, console, shots=SHOTS)
    finally:
        context.close()
    assert not problems, problems
    assert SocialPost.objects.filter(kind="boost", status="boosting", budget=15_000).exists()
