"""HokweSearch's two ways to read a page around a point (services/search_pg.py): the cells ∧
the full text, or the GiST index walked nearest first (tried first; the read when the walk
cannot tell the page): both must give the same pages. And the position's cell, written by
PostgreSQL (migration 0005) and by Python (`cells_of`), must agree."""

from __future__ import annotations

import math
import re

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.market.models import Listing
from apps.market.services import search
from apps.market.services.search_pg import (
    CELL_COLUMNS,
    EARTH_RADIUS_M,
    FTS,
    PostgresSearch,
    _cell_column,
    _cell_row,
    cells_around,
    cells_of,
    haversine_m,
)
from tests.fixtures.market import search_listing

COTONOU = (6.3703, 2.3912)


def _destination(lat: float, lng: float, distance_m: float, bearing: float) -> tuple[float, float]:
    """The point `distance_m` from (lat, lng) towards `bearing` (radians), on the sphere."""
    d = distance_m / EARTH_RADIUS_M
    p1, l1 = math.radians(lat), math.radians(lng)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(bearing))
    l2 = l1 + math.atan2(
        math.sin(bearing) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
    )
    return math.degrees(p2), math.degrees(l2)


@settings(max_examples=300, deadline=None)
@given(
    lat=st.floats(-60, 60),
    lng=st.floats(-170, 170),
    radius=st.integers(100, 50_000),
    share=st.floats(0, 1),
    bearing=st.floats(0, 2 * math.pi),
)
def test_the_cells_around_a_circle_hold_every_point_of_it(lat, lng, radius, share, bearing):
    cells = cells_around(lat, lng, radius)
    point = _destination(lat, lng, radius * share, bearing)
    assert haversine_m(lat, lng, *point) <= radius + 1
    if cells is None:  # more than MAX_CELLS: the GiST box reads the area
        # only a large circle, or a smaller one far from the equator (a degree of longitude
        # shrinks towards the poles): within West Africa's latitudes, 8 km always has cells
        assert radius > 8_000 or abs(lat) > 20
        return
    assert _cell_row(point[0]) * CELL_COLUMNS + _cell_column(point[1]) in cells


def test_a_box_crossing_the_antimeridian_or_too_large_has_no_cells():
    assert cells_of(6.30, 179.99, 6.31, 180.01) is None
    assert cells_of(6.0, 2.0, 7.0, 3.0) is None  # 100 × 100 cells
    assert len(cells_of(6.30, 2.30, 6.32, 2.32)) == 9


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    points=st.lists(
        # positions as the listing forms take them (degrees to 7 decimals: 1 cm)
        st.tuples(
            st.floats(-89.99, 89.99).map(lambda x: round(x, 7)),
            st.floats(-179.99, 179.99).map(lambda x: round(x, 7)),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_postgresql_writes_the_cell_python_reads(points):
    Listing.objects.all().delete()
    listings = [search_listing(latitude=lat, longitude=lng) for lat, lng in points]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, cell FROM market_listing WHERE id = ANY(%s)", [[x.pk for x in listings]])
        stored = dict(cursor.fetchall())
    for listing in listings:
        expected = _cell_row(listing.latitude) * CELL_COLUMNS + _cell_column(listing.longitude)
        assert stored[listing.pk] == expected
        box = cells_of(
            listing.latitude - 0.001, listing.longitude - 0.001, listing.latitude, listing.longitude
        )
        assert box is None or stored[listing.pk] in box


def _all_pages(q_criteria: dict, walk: bool) -> list[tuple[str, int | None]]:
    """Every page of a query with the page read one way (the cursor keeps the way)."""
    backend = PostgresSearch()
    q = search.clean_query(q_criteria)
    page = backend._page(q, None, FTS, walk=walk)
    seen = [(hit.public_id, hit.distance_m) for hit in page.hits]
    while page.next_cursor:
        q = search.clean_query({**q_criteria, "after": page.next_cursor})
        page = backend.search(q)
        seen += [(hit.public_id, hit.distance_m) for hit in page.hits]
    return seen


WORDS = ["studio", "villa", "chambre salon", "appartement meublé"]


@pytest.fixture
def restore_search_settings():
    saved = {
        name: getattr(django_settings, name) for name in ("MARKET_RELEVANCE_POOL", "MARKET_SEARCH_WALK_ROWS")
    }
    yield
    for name, value in saved.items():
        setattr(django_settings, name, value)


@pytest.mark.django_db
@pytest.mark.usefixtures("restore_search_settings")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    listings=st.lists(
        st.tuples(
            st.sampled_from(WORDS),
            st.integers(0, 2500),  # metres from the point
            st.floats(0, 2 * math.pi),
            st.sampled_from([40_000, 90_000, 200_000]),
            st.integers(0, 4).map(lambda n: n == 0),  # at the very point (ties), one in five
        ),
        min_size=20,
        max_size=70,
    ),
    text=st.sampled_from(["", "studio", "villa", "appartement", "chambre"]),
    radius=st.sampled_from([500, 1500, 3000]),
    sort=st.sampled_from(["distance", "relevance"]),
    price_max=st.sampled_from([None, 100_000]),
    rooms_min=st.sampled_from([None, 2]),
    limit=st.sampled_from([3, 7]),
    pool=st.sampled_from([3, 5, 200]),
    walk_budget=st.sampled_from([12, 30, 5000]),
)
def test_the_walk_and_the_cells_give_the_same_pages(
    listings, text, radius, sort, price_max, rooms_min, limit, pool, walk_budget
):
    # small pools and walks, so that a walk finds its page, runs out of listings, or is cut short
    django_settings.MARKET_RELEVANCE_POOL = pool
    django_settings.MARKET_SEARCH_WALK_ROWS = walk_budget
    Listing.objects.all().delete()
    lat, lng = COTONOU
    for i, (words, metres, bearing, price, here) in enumerate(listings):
        point = (lat, lng) if here else _destination(lat, lng, metres, bearing)
        search_listing(
            title=f"{words} {i}",
            description=words * (i % 3 + 1),
            price=price,
            rooms=1 + i % 3,
            latitude=point[0],
            longitude=point[1],
        )
    criteria = {"latitude": lat, "longitude": lng, "radius_m": radius, "sort": sort, "limit": limit}
    if rooms_min:
        criteria["rooms_min"] = rooms_min
    if text:
        criteria["text"] = text
    if price_max:
        criteria["price_max"] = price_max
    walked, read = _all_pages(criteria, walk=True), _all_pages(criteria, walk=False)
    assert walked == read
    assert len({public_id for public_id, _ in walked}) == len(walked)
    if sort == "distance":
        assert [d for _, d in walked] == sorted(d for _, d in walked)


@pytest.mark.django_db
@pytest.mark.parametrize("walk", [True, False])
def test_a_page_ending_inside_many_listings_at_one_position_misses_none(walk):
    lat, lng = COTONOU
    crowd = [search_listing(title=f"Résidence {i}", latitude=lat, longitude=lng) for i in range(33)]
    near = search_listing(title="À côté", latitude=lat + 0.002, longitude=lng)
    criteria = {"latitude": lat, "longitude": lng, "radius_m": 1000, "sort": "distance", "limit": 5}
    seen = [public_id for public_id, _ in _all_pages(criteria, walk)]
    assert len(seen) == len(set(seen)) == len(crowd) + 1
    # the ties in id order, then the next position
    assert seen == [str(x.public_id) for x in sorted(crowd, key=lambda x: x.pk)] + [str(near.public_id)]


@pytest.mark.django_db
@pytest.mark.usefixtures("restore_search_settings")
@pytest.mark.parametrize("sort", ["distance", "relevance"])
def test_a_dense_neighbourhood_is_walked_and_gives_what_the_cells_give(sort):
    django_settings.MARKET_RELEVANCE_POOL = 12
    django_settings.MARKET_SEARCH_WALK_ROWS = 40
    lat, lng = COTONOU
    for i in range(90):
        point = _destination(lat, lng, 30 * i + 7, i * 2.4)
        words = "studio meublé" if i % 3 else "villa"
        search_listing(
            title=f"{words} {i}", description=words * (i % 4 + 1), latitude=point[0], longitude=point[1]
        )
    criteria = {
        "latitude": lat,
        "longitude": lng,
        "radius_m": 3000,
        "sort": sort,
        "limit": 4,
        "text": "studio",
    }
    first = PostgresSearch()._page(search.clean_query(criteria), None, FTS, walk=True)
    after = search.clean_query({**criteria, "after": first.next_cursor})
    assert search.decode_cursor(after)[2] == "fw"  # the walk answered the first page
    walked, read = _all_pages(criteria, walk=True), _all_pages(criteria, walk=False)
    assert walked == read
    assert len(walked) == (60 if sort == "distance" else 12)


@pytest.mark.django_db
def test_many_matches_are_faceted_over_a_sixteenth_or_a_quarter_and_scaled(settings):
    lat, lng = COTONOU
    for i in range(64):
        point = _destination(lat, lng, 20 * i, i * 0.7)
        search_listing(
            title=f"Appartement {i}",
            kind=("apartment", "studio", "villa")[i % 3],
            rooms=1 + i % 4,
            latitude=point[0],
            longitude=point[1],
        )
    criteria = {"latitude": lat, "longitude": lng, "radius_m": 2000, "text": "appartement"}
    exact = search.facets(search.clean_query(criteria))
    assert exact.exact and sum(exact.kinds.values()) == exact.total == 64
    settings.MARKET_FACETS_EXACT_UP_TO = 0  # (the estimate of a test table is a guess: any)
    sampled = search.facets(search.clean_query(criteria))
    assert not sampled.exact
    kept = Listing.objects.filter(id__in=[x.pk for x in Listing.objects.all() if x.pk % 16 == 0])
    expected: dict[str, int] = {}
    for listing in kept:
        expected[listing.kind] = expected.get(listing.kind, 0) + 16
    assert sampled.kinds == dict(sorted(expected.items(), key=lambda kv: (-kv[1], kv[0])))
    assert sum(sampled.rooms.values()) == sampled.total == 16 * len(kept)

    # between E and 4 × E matches (as the sixteenth counts them): a quarter, times 4
    settings.MARKET_FACETS_EXACT_UP_TO = 16 * len(kept) - 1
    quartered = search.facets(search.clean_query(criteria))
    assert not quartered.exact
    quarter = [x for x in Listing.objects.all() if x.pk % 16 < 4]
    expected = {}
    for listing in quarter:
        expected[listing.kind] = expected.get(listing.kind, 0) + 4
    assert quartered.kinds == dict(sorted(expected.items(), key=lambda kv: (-kv[1], kv[0])))
    assert sum(quartered.rooms.values()) == quartered.total == 4 * len(quarter)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("call", ["search", "facets"])
def test_the_search_work_memory_is_its_transactions_only(settings, call):
    """The search's and the facets' statements run with MARKET_SEARCH_WORK_MEM; the
    connection's next queries (another module's, on a pooled connection) are back to the
    server's own work_mem."""
    lat, lng = COTONOU
    search_listing(title="Appartement climatisé", latitude=lat, longitude=lng)
    settings.MARKET_SEARCH_WORK_MEM = "24MB"
    criteria = {"latitude": lat, "longitude": lng, "radius_m": 2000, "text": "appartement"}
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        before = cursor.fetchone()[0]
        assert before != "24MB"
        seen_with = []

        def seen(execute, sql, params, many, context):
            if "market_listing" in sql and not sql.startswith("EXPLAIN"):
                raw = context["connection"].connection.cursor()
                raw.execute("SHOW work_mem")
                seen_with.append(raw.fetchone()[0])
            return execute(sql, params, many, context)

        with connection.execute_wrapper(seen):
            answer = getattr(search, call)(search.clean_query(criteria))
        assert answer.kinds if call == "facets" else answer.hits
        assert seen_with and set(seen_with) == {"24MB"}
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == before


def _sent_by(call, criteria: dict) -> tuple:
    """`call`'s answer for `criteria` and the statements it sent, their parameters bound."""
    sent = []

    def keep(execute, sql, params, many, context):
        sent.append(sql if params is None else context["cursor"].mogrify(sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        answer = call(search.clean_query(criteria))
    return answer, sent


def _plan(statement: str, *off: str) -> str:
    """EXPLAIN of `statement` with the planner's `off` settings off for it alone."""
    with connection.cursor() as cursor, transaction.atomic():
        for setting in off:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN (COSTS OFF) " + statement)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_the_walk_checks_the_words_the_price_and_the_rooms_inside_the_gist_index():
    """The walk's statement, as the search sends it, has the words, the price and the rooms as
    conditions of the GiST index (migration 0007), not as filters of the rows it returned: a
    price sent as an int4 literal against the bigint column was only a filter."""
    lat, lng = COTONOU
    for i in range(30):
        point = _destination(lat, lng, 40 * i, i * 0.9)
        search_listing(
            title=f"Appartement meublé {i}",
            price=40_000 + 1_000 * i,
            rooms=1 + i % 3,
            latitude=point[0],
            longitude=point[1],
        )
    criteria = {
        "latitude": lat,
        "longitude": lng,
        "radius_m": 2000,
        "text": "appartement meublé",
        "price_max": 60_000,
        "rooms_min": 2,
        "sort": "distance",
        "limit": 3,
    }
    page, sent = _sent_by(search.search, criteria)
    assert page.hits and page.next_cursor
    walk = next(sql for sql in sent if "OPERATOR(public.<->)" in sql)
    plan = _plan(walk, "enable_seqscan")  # a table of 30 rows: the plan's shape
    scan = re.search(r"Index Scan using market_listing_s_earth_text.*?Index Cond: ([^\n]*)", plan, re.S)
    assert scan, plan
    condition = scan.group(1)
    assert "search_tsv @@" in condition and "price <=" in condition and "rooms >=" in condition, plan


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "criteria",
    [
        {},
        {"purpose": "rent", "kinds": "studio,villa", "price_max": 90_000},
        {
            "country": "BJ",
            "amenities": "water",
            "available_by": "2027-01-01",
            "rooms_min": 2,
            "furnished": "true",
            "city": "Cotonou",
            "neighbourhood": "Agla",
        },
    ],
)
def test_the_facets_without_words_or_place_can_be_read_from_their_index_alone(settings, criteria):
    """The facets' sixteenth of a search without words or place has every column it counts or
    filters by in `market_listing_s_facets16` (migration 0007): an index-only scan is possible,
    so a column added to the facets without the index would fail here."""
    for i in range(40):
        search_listing(title=f"Logement {i}", kind=("studio", "villa")[i % 2], rooms=1 + i % 3)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE market_listing")  # the visibility map, as autovacuum keeps it
    settings.MARKET_FACETS_EXACT_UP_TO = 0  # the sixteenth answers
    facets, sent = _sent_by(search.facets, criteria)
    assert not facets.exact
    statement = next(sql for sql in sent if "GROUPING SETS" in sql)
    plan = _plan(statement, "enable_seqscan", "enable_bitmapscan")  # 40 rows: the index's reach
    assert "Index Only Scan using market_listing_s_facets16" in plan, plan
