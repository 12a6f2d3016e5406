"""HokweSearch on PostgreSQL (services/search.py, search_pg.py): full text and typos, filters,
the radius and the map's bounds, facets, sorts and keyset pages."""

from __future__ import annotations

from datetime import date

import pytest

from apps.market.errors import InvalidSearch
from apps.market.services import search
from apps.market.services.search_pg import PostgresSearch
from tests.fixtures.market import search_listing

pytestmark = pytest.mark.django_db

COTONOU = (6.3703, 2.3912)
KM_LAT = 1 / 111.195  # degrees of latitude per km


def run(**criteria):
    return search.search(search.clean_query(criteria))


def ids(page):
    return [hit.title for hit in page.hits]


def test_the_postgresql_backend_is_chosen_on_postgresql():
    assert isinstance(search.backend(), PostgresSearch)


def test_full_text_in_french_without_accents_and_stemming():
    search_listing(
        title="Bel appartement meublé", description="Proche du marché Dantokpa", neighbourhood="Akpakpa"
    )
    search_listing(title="Villa avec piscine", kind="villa", neighbourhood="Fidjrossè")
    assert ids(run(text="appartements meubles")) == ["Bel appartement meublé"]
    assert ids(run(text="MARCHE")) == ["Bel appartement meublé"]
    assert ids(run(text="fidjrosse")) == ["Villa avec piscine"]


def test_typos_find_the_city_and_the_neighbourhood():
    search_listing(title="Studio A", city="Cotonou", neighbourhood="Gbégamey")
    search_listing(title="Studio B", city="Abomey-Calavi", neighbourhood="Godomey")
    search_listing(title="Studio C", city="Porto-Novo", neighbourhood="Ouando")
    assert ids(run(text="cotonu")) == ["Studio A"]
    assert ids(run(text="Calavi")) == ["Studio B"]
    assert ids(run(text="Abomey Calavi")) == ["Studio B"]
    assert ids(run(text="gbegamei")) == ["Studio A"]
    assert ids(run(text="godome")) == ["Studio B"]


def test_sql_and_regex_characters_are_plain_text():
    search_listing(title="Chambre salon", kind="chambre_salon")
    for text in ("'; DROP TABLE market_listing; --", ".*", "a|b", "%_%", "\\", "(((", "!&|:*"):
        page = run(text=text)
        assert page.hits == []
    assert ids(run(text="chambre")) == ["Chambre salon"]


def test_only_published_and_reserved_listings_are_found():
    search_listing(title="Publiée", status="published")
    search_listing(title="Réservée", status="reserved")
    for status in ("draft", "in_review", "let", "sold", "withdrawn", "expired"):
        search_listing(title=f"Cachée {status}", status=status)
    assert sorted(ids(run())) == ["Publiée", "Réservée"]


def test_filters():
    search_listing(
        title="A", city="Cotonou", neighbourhood="Akpakpa", price=50_000, rooms=2, kind="apartment"
    )
    search_listing(
        title="B",
        city="Cotonou",
        neighbourhood="Cadjèhoun",
        price=150_000,
        rooms=3,
        furnished=True,
        water=True,
        air_conditioning=True,
        kind="villa",
    )
    search_listing(
        title="C", city="Abidjan", country="CI", price=300_000, rooms=4, kind="villa", purpose="sale"
    )
    search_listing(title="D", city="Cotonou", price=80_000, available_from=date(2030, 1, 1))
    assert sorted(ids(run(city="cotonou"))) == ["A", "B", "D"]
    assert ids(run(neighbourhood="Cadjèhoun")) == ["B"]
    assert sorted(ids(run(price_min=60_000, price_max=200_000))) == ["B", "D"]
    assert sorted(ids(run(rooms_min=3))) == ["B", "C"]
    assert ids(run(kinds="villa", purpose="rent")) == ["B"]
    assert ids(run(furnished="true")) == ["B"]
    assert ids(run(amenities=["water", "air_conditioning"])) == ["B"]
    assert ids(run(country="CI")) == ["C"]
    assert "D" not in ids(run(available_by="2026-12-31"))
    assert "D" in ids(run(available_by="2030-01-02"))


def test_radius_finds_1_5_km_not_3_km_sorted_by_distance():
    lat, lng = COTONOU
    search_listing(title="Ici", latitude=lat, longitude=lng)
    search_listing(title="1,5 km", latitude=lat + 1.5 * KM_LAT, longitude=lng)
    search_listing(title="3 km", latitude=lat - 3 * KM_LAT, longitude=lng)
    search_listing(title="Sans position")
    page = run(latitude=lat, longitude=lng, radius_m=2000, sort="distance")
    assert ids(page) == ["Ici", "1,5 km"]
    assert 1450 <= page.hits[1].distance_m <= 1550
    assert ids(run(latitude=lat, longitude=lng, radius_m=4000, sort="distance")) == ["Ici", "1,5 km", "3 km"]


def test_a_misspelt_neighbourhood_within_2_km_of_a_point():
    lat, lng = COTONOU
    search_listing(title="Près", neighbourhood="Fidjrossè", latitude=lat + 1.2 * KM_LAT, longitude=lng)
    search_listing(title="Loin", neighbourhood="Fidjrossè", latitude=lat + 5 * KM_LAT, longitude=lng)
    assert ids(run(text="Fidjrose", latitude=lat, longitude=lng, radius_m=2000)) == ["Près"]


def test_a_misspelt_word_no_listing_holds_is_not_walked_as_typed():
    """«Fidjrose» matches no listing at all: one lookup says so, and only the corrected text
    («fidjrosse») walks the area; a word some listing holds is searched as typed first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lat, lng = COTONOU
    search_listing(title="Près", neighbourhood="Fidjrossè", latitude=lat + 1.2 * KM_LAT, longitude=lng)
    criteria = {"latitude": lat, "longitude": lng, "radius_m": 2000, "sort": "distance"}
    with CaptureQueriesContext(connection) as misspelt:
        assert ids(run(text="Fidjrose", **criteria)) == ["Près"]
    walks = [q["sql"] for q in misspelt.captured_queries if "ORDER BY near" in q["sql"]]
    assert len(walks) == 1 and "fidjrosse" in str(walks)
    search_listing(title="Rose", description="Maison rose fidjrose", latitude=lat, longitude=lng)
    with CaptureQueriesContext(connection) as held:
        assert ids(run(text="Fidjrose", **criteria)) == ["Rose"]  # as typed: it exists
    assert len([q for q in held.captured_queries if "ORDER BY near" in q["sql"]]) == 1


def test_map_bounds():
    search_listing(title="Dedans", latitude=6.36, longitude=2.40)
    search_listing(title="Dehors", latitude=6.50, longitude=2.40)
    assert ids(run(bounds="6.30,2.35,6.40,2.45")) == ["Dedans"]


def test_facets_count_each_facet_without_its_own_filter():
    search_listing(title="A", kind="apartment", city="Cotonou", rooms=2, price=40_000, water=True)
    search_listing(title="B", kind="villa", city="Cotonou", rooms=4, price=300_000, water=True, parking=True)
    search_listing(title="C", kind="villa", city="Parakou", rooms=4, price=90_000)
    search_listing(title="Z", kind="villa", city="Parakou", status="draft")
    facets = search.facets(search.clean_query({"kinds": "villa", "city": "Cotonou"}))
    assert facets.kinds == {"apartment": 1, "villa": 1}  # Cotonou's, whatever the kind
    assert facets.cities == {"Cotonou": 1, "Parakou": 1}  # villas, whatever the city
    assert facets.rooms == {4: 1}
    assert facets.price_bands == {"200000-500000": 1}
    assert facets.amenities == {"water": 1, "parking": 1}
    everything = search.facets(search.clean_query({}))
    assert everything.kinds == {"villa": 2, "apartment": 1}
    assert everything.furnished == {False: 3}


@pytest.mark.parametrize("sort", ["relevance", "price", "-price", "newest", "distance"])
def test_keyset_pages_are_complete_and_stable(sort):
    lat, lng = COTONOU
    for i in range(23):
        search_listing(
            title=f"Appartement {i}",
            description="appartement" * (i % 3 + 1),
            price=50_000 + (i % 5) * 10_000,  # ties on price: the id decides
            latitude=lat + (i % 7) * 0.001,
            longitude=lng,
        )
    criteria = {"text": "appartement", "limit": 5, "sort": sort, "latitude": lat, "longitude": lng}
    seen, after, pages = [], "", 0
    while True:
        page = run(**criteria, after=after)
        seen += [hit.public_id for hit in page.hits]
        pages += 1
        if pages == 1:  # walked: the page does not count, the facets do
            assert page.total in (None, 23)
            assert search.facets(search.clean_query(criteria)).total == 23
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert pages == 5
    assert len(seen) == len(set(seen)) == 23
    # a listing published meanwhile does not shift the pages already seen
    first = run(**criteria)
    search_listing(title="Nouveau", price=10, latitude=lat, longitude=lng)
    second = run(**criteria, after=first.next_cursor)
    assert not {h.public_id for h in second.hits} & {h.public_id for h in first.hits}


def test_sorts():
    search_listing(title="Cher", price=300_000)
    search_listing(title="Moyen", price=100_000)
    search_listing(title="Bon marché", price=30_000)
    assert ids(run(sort="price")) == ["Bon marché", "Moyen", "Cher"]
    assert ids(run(sort="-price")) == ["Cher", "Moyen", "Bon marché"]
    assert ids(run(sort="newest")) == ["Cher", "Moyen", "Bon marché"]


def test_a_cursor_of_another_query_or_forged_is_refused():
    for i in range(3):
        search_listing(title=f"T{i}")
    page = run(limit=1)
    with pytest.raises(InvalidSearch):
        run(limit=1, sort="price", after=page.next_cursor)
    with pytest.raises(InvalidSearch):
        run(limit=1, after=page.next_cursor[:-2] + "xx")


def test_a_10_kb_text_is_capped():
    search_listing(title="Appartement")
    q = search.clean_query({"text": "appartement " * 1000})
    assert len(q.text) <= 200
    search.search(q)


def test_a_typo_in_another_word_falls_back_to_trigram_similarity():
    search_listing(title="Bel appartement", kind="apartment", neighbourhood="Akpakpa")
    search_listing(title="Villa", kind="villa", neighbourhood="Akpakpa")
    assert ids(run(text="apartemnt")) == ["Bel appartement"]
    assert ids(run(text="piscine")) == []
