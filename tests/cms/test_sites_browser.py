"""The public sites in a browser (Chromium through Playwright) at 390 px and 1366 px, each on
its own host: the hub, hokwe.co, hokwe.com in French and English, pay.hokwe.com with « find
my pay link ». No horizontal overflow, no console error (the CSP is the one served).

The pages are rendered by Django's test client in the test's transaction and handed to the
browser through Playwright's request routing: they come from the migration's page tree, which
a live server's transactional test would have flushed."""

from __future__ import annotations

import html
import mimetypes
import os
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from apps.cms import demo
from tests.fixtures.browser import CHROMIUM_ARGS, check_widths

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SHOTS = os.environ.get("CMS_SHOTS", "")
HOSTS = settings.CMS_SITE_HOSTS


def _answer(rendered: dict):
    """Playwright runs this in another greenlet, where Django would open another database
    connection outside the test's transaction: the pages are rendered beforehand, in the
    test's own, and only served here (static files from the finders)."""

    def handler(route, request):
        url = urlsplit(request.url)
        if url.path.startswith(settings.STATIC_URL):
            found = finders.find(url.path[len(settings.STATIC_URL) :])
            if found:
                kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
                route.fulfill(status=200, body=Path(found).read_bytes(), content_type=kind)
            else:
                route.fulfill(status=404, body=b"")
            return
        status, body, headers = rendered.get(request.url, (404, b"", {}))
        route.fulfill(status=status, body=body, headers=headers)

    return handler


def _render(client: Client, url: str) -> tuple[int, bytes, dict]:
    parts = urlsplit(url)
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""), HTTP_HOST=parts.netloc)
    headers = {k: v for k, v in response.items() if k.lower() != "content-length"}
    return response.status_code, response.content, headers


def test_the_sites_fit_a_phone_and_a_laptop_on_their_hosts(settings):
    from playwright.sync_api import sync_playwright

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, *HOSTS.values()]
    demo.seed_sites({})
    client = Client()
    problems: list[str] = []
    console: list[str] = []
    pages = [
        ("hub", "http://localhost/", "Hokwe"),
        ("holding", f"http://{HOSTS['hokwe-co']}/", "Hokwe"),
        ("product", f"http://{HOSTS['hokwe-com']}/", "Hokwe"),
        ("product-en", f"http://{HOSTS['hokwe-com']}/en/", "Hokwe"),
        ("pay", f"http://{HOSTS['hokwepay']}/", "Hokwe"),
        ("pay-link", f"http://{HOSTS['hokwepay']}/pay-link/", "Hokwe"),
    ]
    rendered = {url: _render(client, url) for _, url, _ in pages}
    # what the pages' extras fetch once loaded (ads' banner slot: `data-fetch`), rendered too
    for url, (_status, body, _headers) in list(rendered.items()):
        for fetched in re.findall(r'data-fetch="([^"]+)"', body.decode()):
            full = urljoin(url, html.unescape(fetched))
            rendered.setdefault(full, _render(client, full))
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
        context.route("**/*", _answer(rendered))
        page = context.new_page()
        page.set_default_timeout(20_000)
        # plain HTTP on a real host name is not a trustworthy origin (the live servers are on
        # localhost): Chromium then ignores, and says so, the Cross-Origin-Opener-Policy header
        page.on(
            "console",
            lambda m: (
                console.append(m.text)
                if m.type == "error" and "Cross-Origin-Opener-Policy header has been ignored" not in m.text
                else None
            ),
        )
        page.on("pageerror", lambda e: console.append(str(e)))
        try:
            for name, url, text in pages:
                response = page.goto(url)
                assert response.status == 200, (url, response.status)
                assert text in page.title(), (url, page.title())
                assert page.locator("h1").count() >= 1, url
                check_widths(page, f"site-{name}", problems, console, shots=SHOTS)
            # pay.hokwe.com leads to « find my pay link », a labelled phone field
            page.goto(f"http://{HOSTS['hokwepay']}/")
            assert page.locator("a[href$='/pay-link/']").count() >= 1
            page.goto(f"http://{HOSTS['hokwepay']}/pay-link/")
            phone = page.locator("form input[name=phone]")
            assert (
                phone.count() == 1 and page.locator(f"label[for='{phone.get_attribute('id')}']").count() == 1
            )
            # keyboard: the first Tab reaches a link or a control
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement && document.activeElement.tagName") in (
                "A",
                "INPUT",
                "BUTTON",
            )
        finally:
            context.close()
            chromium.close()
    assert problems == []
