"""The page weight budget of the public market pages (issue 23: usable on a phone at 3G
speeds): the HTML plus every style sheet and script a page loads, before photos and map
tiles, stays under 300 KB. Leaflet (about 160 KB of script and styles) counts: it is loaded
only on the pages that show a map, deferred."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.market.test_public_pages import POINT, make_listing, page_url

pytestmark = pytest.mark.django_db

BUDGET = 300 * 1024
ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def weight(client, path: str) -> tuple[int, dict[str, int]]:
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content
    parts = {"html": len(html)}
    for url in ASSET.findall(html.decode()):
        assert url.startswith("/static/"), f"{path} loads {url} from elsewhere (no CDN)"
        found = finders.find(url.removeprefix("/static/"))
        assert found, url
        with open(found, "rb") as handle:
            parts[url] = len(handle.read())
    return sum(parts.values()), parts


def test_search_and_listing_pages_stay_under_300_kb_before_photos(client):
    listing = make_listing()
    for n in range(20):
        make_listing(title=f"Appartement numéro {n} à Fidjrossè", cover=f"market/photos/t{n}.webp")
    pages = {
        "home": reverse("market:home"),
        "search": reverse("market:search") + f"?q=fidjrosse&lat={POINT[0]}&lng={POINT[1]}&radius_km=2",
        "listing": page_url(listing),
    }
    report = {}
    for name, path in pages.items():
        total, parts = weight(client, path)
        report[name] = (total, parts)
        assert total < BUDGET, f"{name}: {total} bytes {parts}"
    # Leaflet is loaded where a map is shown, deferred, and only there
    assert any("leaflet.js" in url for url in report["search"][1])
    assert not any("leaflet" in url for url in report["home"][1])  # the home has no map
    html = client.get(pages["listing"]).content.decode()
    assert re.search(r'<script src="/static/vendor/leaflet/leaflet.js" defer>', html)
    assert re.search(r'<script src="/static/market/map.js" defer>', html)
