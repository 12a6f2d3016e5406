"""Sponsored listings in market search (services/sponsored.py): what a registered source
proposes is shown apart, only online and matching the seeker's filters, at most the slots,
first page only; a failing source never breaks the search."""

from __future__ import annotations

import pytest

from apps.market.contracts import SponsoredCandidate
from apps.market.services import sponsored as sponsored_service
from tests.fixtures.market import search_listing

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    """A source proposing the listings put in `proposed` (or raising when it holds an error)."""
    proposed: list = []

    def propose(query, *, request, count):
        if proposed and isinstance(proposed[0], Exception):
            raise proposed[0]
        return [
            SponsoredCandidate(str(x.public_id), f"/i/{x.public_id}", f"/c/{x.public_id}") for x in proposed
        ][:count]

    sponsored_service.register(propose)
    try:
        yield proposed
    finally:
        sponsored_service._sources.remove(propose)


def test_only_online_listings_matching_the_filters_are_shown_apart_and_labelled(client, source, settings):
    settings.MARKET_SPONSORED_SLOTS = 2
    rent = search_listing(city="Cotonou", purpose="rent", price=50_000)
    sale = search_listing(city="Cotonou", purpose="sale", price=9_000_000)
    draft = search_listing(city="Cotonou", purpose="rent", status="draft")
    elsewhere = search_listing(city="Parakou", purpose="rent")
    another = search_listing(city="Cotonou", purpose="rent", price=60_000)
    third = search_listing(city="Cotonou", purpose="rent", price=70_000)
    source.extend([sale, draft, elsewhere, rent, another, third])
    body = client.get("/api/v1/market/search", {"city": "Cotonou", "purpose": "rent"}).json()
    assert [x["public_id"] for x in body["sponsored"]] == [str(rent.public_id), str(another.public_id)]
    assert (
        body["sponsored"][0]["label"] == "Sponsorisé"
        and body["sponsored"][0]["click_url"] == f"/c/{rent.public_id}"
    )
    page = client.get("/market/search", {"city": "Cotonou", "purpose": "rent"}).content.decode()
    assert 'data-testid="sponsored"' in page and f"/c/{rent.public_id}" in page
    later = client.get("/api/v1/market/search", {"city": "Cotonou", "after": body["next_cursor"] or "x"})
    assert later.status_code != 200 or later.json()["sponsored"] == []


def test_a_failing_source_never_breaks_the_search(client, source):
    search_listing(city="Cotonou")
    source.append(RuntimeError("the ad server is down"))
    response = client.get("/api/v1/market/search", {"city": "Cotonou"})
    assert response.status_code == 200 and response.json()["sponsored"] == [] and response.json()["results"]
