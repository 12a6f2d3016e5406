"""The query cleaner (services/search.py clean_query): strict on what cannot be meant, capping
what is merely too big; never another exception."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.market.contracts import SearchQuery
from apps.market.errors import InvalidSearch
from apps.market.services.search import clean_query


def test_defaults():
    assert clean_query({}) == SearchQuery()


def test_text_is_trimmed_and_capped():
    assert clean_query({"text": "  studio \n meublé\t"}).text == "studio meublé"
    assert len(clean_query({"text": "x" * 10_000}).text) == 200
    assert (
        clean_query({"text": "'; DROP TABLE x; -- .* [a-z]+ %_"}).text == "'; DROP TABLE x; -- .* [a-z]+ %_"
    )


@pytest.mark.parametrize(
    "data",
    [
        {"sort": "cheapest"},
        {"price_min": "abc"},
        {"price_min": "-5"},
        {"price_min": "100", "price_max": "50"},
        {"latitude": "91", "longitude": "2"},
        {"latitude": "6.3", "longitude": "181"},
        {"latitude": "nan", "longitude": "2"},
        {"latitude": "6.3"},
        {"radius_m": "1000"},
        {"sort": "distance"},
        {"bounds": "6.4,2.3,6.3,2.4"},
        {"bounds": "6.3,2.4,6.4,2.3"},
        {"bounds": "1,2,3"},
        {"kinds": "castle"},
        {"amenities": "pool"},
        {"furnished": "maybe"},
        {"available_by": "tomorrow"},
        {"purpose": "steal"},
        {"limit": "0"},
        {"radius_m": "-1", "latitude": "6", "longitude": "2"},
        {"after": "not a cursor!"},
    ],
)
def test_what_cannot_be_meant_is_refused(data):
    with pytest.raises(InvalidSearch) as refused:
        clean_query(data)
    assert refused.value.status == 400


def test_what_is_too_big_is_capped():
    point = {"latitude": "6.37", "longitude": "2.39"}
    assert clean_query({**point, "radius_m": "10000000000"}).radius_m == 50_000  # 10,000 km
    assert clean_query({**point, "radius_m": "0"}).radius_m == 100  # the minimum
    assert clean_query(point).radius_m == 50_000
    assert clean_query({"limit": "5000"}).limit == 50


def test_values_are_typed():
    q = clean_query(
        {
            "kinds": ["studio", "villa,apartment"],
            "amenities": "water,parking",
            "furnished": "oui",
            "available_by": "2027-01-31",
            "bounds": "6.3,2.3,6.4,2.4",
            "price_min": 10,
            "sort": "-price",
        }
    )
    assert q.kinds == ("studio", "villa", "apartment")
    assert q.amenities == ("water", "parking")
    assert q.furnished is True
    assert q.available_by == date(2027, 1, 31)
    assert q.bounds == (6.3, 2.3, 6.4, 2.4)
    assert q.price_min == 10


_values = st.one_of(
    st.none(),
    st.text(max_size=300),
    st.text(alphabet="%_*.?+()[]{}|\\^$'\";-–—éèàçôÉ0123456789 ,", max_size=50),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.lists(st.text(max_size=20), max_size=5),
    st.just("x" * 10_240),
)
_keys = st.sampled_from(
    [
        "text",
        "q",
        "purpose",
        "country",
        "city",
        "neighbourhood",
        "kinds",
        "kind",
        "price_min",
        "price_max",
        "rooms_min",
        "furnished",
        "amenities",
        "available_by",
        "latitude",
        "longitude",
        "radius_m",
        "radius",
        "bounds",
        "sort",
        "after",
        "limit",
        "lat",
        "lng",
    ]
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_keys, _values, max_size=8))
def test_any_input_is_a_query_or_a_refusal(data):
    try:
        q = clean_query(data)
    except InvalidSearch as refused:
        assert refused.status == 400 and str(refused.message)
        return
    assert isinstance(q, SearchQuery)
    assert len(q.text) <= 200 and 1 <= q.limit <= 50
    assert q.radius_m is None or 100 <= q.radius_m <= 50_000
