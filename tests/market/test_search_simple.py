"""The simple backend (services/search_simple.py, the embedded SQLite profile's) answers like
the PostgreSQL one on the cases that matter. Its code is plain ORM + Python, so it runs here
on PostgreSQL: the same data through both backends."""

from __future__ import annotations

import pytest

from apps.market.services.search import clean_query
from apps.market.services.search_pg import PostgresSearch
from apps.market.services.search_simple import SimpleSearch
from tests.fixtures.market import search_listing

pytestmark = pytest.mark.django_db

KM_LAT = 1 / 111.195
LAT, LNG = 6.3703, 2.3912


@pytest.fixture
def listings():
    search_listing(
        title="Studio A",
        kind="studio",
        city="Cotonou",
        neighbourhood="Gbégamey",
        price=60_000,
        latitude=LAT,
        longitude=LNG,
        water=True,
    )
    search_listing(
        title="Villa B",
        kind="villa",
        city="Abomey-Calavi",
        neighbourhood="Godomey",
        price=400_000,
        rooms=4,
        latitude=LAT + 1.5 * KM_LAT,
        longitude=LNG,
        parking=True,
    )
    search_listing(
        title="Appartement C",
        city="Cotonou",
        neighbourhood="Fidjrossè",
        price=150_000,
        rooms=3,
        latitude=LAT - 3 * KM_LAT,
        longitude=LNG,
        furnished=True,
    )
    search_listing(title="Chambre D", kind="chambre_salon", city="Parakou", price=30_000)
    search_listing(title="Brouillon", status="draft")


CASES = [
    {"text": "cotonu"},
    {"text": "Calavi"},
    {"text": "gbegamei"},
    {"text": "studio"},
    {"city": "cotonou"},
    {"price_min": 50_000, "price_max": 200_000},
    {"rooms_min": 3, "sort": "-price"},
    {"kinds": "villa,studio", "sort": "price"},
    {"amenities": "parking"},
    {"furnished": "true"},
    {"latitude": LAT, "longitude": LNG, "radius_m": 2000, "sort": "distance"},
    {"latitude": LAT, "longitude": LNG, "radius_m": 4000, "sort": "distance"},
    {"bounds": f"{LAT - 0.01},{LNG - 0.01},{LAT + 0.02},{LNG + 0.01}", "sort": "newest"},
    {},
]


@pytest.mark.parametrize("criteria", CASES, ids=[str(c) for c in CASES])
def test_same_hits_in_the_same_order(listings, criteria):
    q = clean_query(criteria)
    pg, simple = PostgresSearch().search(q), SimpleSearch().search(q)
    assert [h.title for h in simple.hits] == [h.title for h in pg.hits]
    # PostgreSQL counts on a page only what it read anyway (else None, and a next page: the
    # facets count); the simple backend reads every candidate
    assert pg.total == simple.total or (pg.total is None and pg.next_cursor)
    assert simple.total == SimpleSearch().facets(q).total == PostgresSearch().facets(q).total
    assert [h.distance_m for h in simple.hits] == pytest.approx([h.distance_m for h in pg.hits], abs=5)


@pytest.mark.parametrize("criteria", [{}, {"kinds": "villa", "city": "Cotonou"}, {"text": "cotonou"}])
def test_same_facets(listings, criteria):
    q = clean_query(criteria)
    assert SimpleSearch().facets(q) == PostgresSearch().facets(q)


def test_keyset_pages_complete(listings):
    seen, after = [], ""
    while True:
        page = SimpleSearch().search(clean_query({"limit": 1, "sort": "price", "after": after}))
        seen += [h.title for h in page.hits]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert seen == ["Chambre D", "Studio A", "Appartement C", "Villa B"]
