"""The search's REST and GraphQL surfaces: anonymous read-only search (rate-limited),
problem details on bad input, the seeker's saved searches, favourites and recently viewed."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.market.models import Favourite, Listing, SavedSearch
from tests.fixtures.market import search_listing
from tests.helpers import bearer_client, gql, gql_response
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/market/search"
FACETS = "/api/v1/market/search/facets"


def test_anyone_searches_with_filters_and_pages(django_assert_max_num_queries):
    for i in range(7):
        search_listing(title=f"Studio {i}", kind="studio", city="Cotonou", neighbourhood="Fidjrossè")
    search_listing(title="Villa", kind="villa", city="Parakou")
    client = APIClient()
    # a typo: the full text as typed finds nothing, then corrected (the place words, cached)
    with django_assert_max_num_queries(8):
        first = client.get(SEARCH, {"text": "fidjrose", "limit": 5, "sort": "newest"})
    assert first.status_code == 200, first.content
    body = first.json()
    # newest first, the page read five and one: the count is the facets' (no second read)
    assert len(body["results"]) == 5 and body["total"] is None
    hit = body["results"][0]
    assert hit["city"] == "Cotonou" and hit["kind"] == "studio" and hit["price"] == 100_000
    with django_assert_max_num_queries(4):
        second = client.get(
            SEARCH, {"text": "fidjrose", "limit": 5, "sort": "newest", "after": body["next_cursor"]}
        )
    assert len(second.json()["results"]) == 2 and second.json()["next_cursor"] == ""
    facets = client.get(FACETS, {"text": "fidjrose"}).json()
    assert facets["kinds"] == [{"value": "studio", "count": 7}]
    assert facets["total"] == 7 and facets["exact"] is True
    studios = client.get(FACETS, {"text": "fidjrose", "kinds": "villa"}).json()
    # each facet without its own filter, the total with every filter
    assert studios["kinds"] == [{"value": "studio", "count": 7}] and studios["total"] == 0


@pytest.mark.parametrize(
    "params",
    [{"sort": "cheap"}, {"latitude": "100", "longitude": "2"}, {"bounds": "7,2,6,3"}, {"after": "forged"}],
)
def test_bad_input_is_a_problem_document(params):
    response = APIClient().get(SEARCH, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "market_invalid_search"


def test_a_huge_text_and_radius_are_capped_not_refused():
    search_listing(title="Appartement")
    response = APIClient().get(
        SEARCH,
        {"text": "appartement " * 900, "latitude": 6.37, "longitude": 2.39, "radius_m": 10_000_000_000},
    )
    assert response.status_code == 200


def test_the_anonymous_search_is_rate_limited(settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "market.search": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    client = APIClient(REMOTE_ADDR="198.51.100.7")
    codes = [client.get(SEARCH).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    query = "{ marketSearch { matchCount } }"
    body = gql_response(APIClient(REMOTE_ADDR="198.51.100.7"), query)
    assert body.get("errors"), body


def test_search_is_read_only():
    assert APIClient().post(SEARCH, {}, format="json").status_code in (400, 405)


def test_saved_searches_crud_and_isolation(django_assert_max_num_queries):
    user, other = UserFactory(), UserFactory()
    client = bearer_client(user)
    created = client.post(
        "/api/v1/market/saved-searches",
        {"name": "Studios à Cotonou", "channel": "sms", "query": {"text": "studio", "city": "Cotonou"}},
        format="json",
    )
    assert created.status_code == 201, created.content
    saved_id = created.json()["public_id"]
    bad = client.post(
        "/api/v1/market/saved-searches", {"name": "x", "query": {"sort": "nope"}}, format="json"
    )
    assert bad.status_code == 400
    with django_assert_max_num_queries(6):
        listed = client.get("/api/v1/market/saved-searches").json()
    assert [s["name"] for s in listed] == ["Studios à Cotonou"]
    assert bearer_client(other).get("/api/v1/market/saved-searches").json() == []
    path = f"/api/v1/market/saved-searches/{saved_id}"
    assert bearer_client(other).delete(path).status_code == 404
    off = client.patch(path, {"active": False}, format="json")
    assert off.status_code == 200 and off.json()["active"] is False
    assert client.delete(path).status_code == 204
    assert not SavedSearch.objects.exists()
    assert APIClient().get("/api/v1/market/saved-searches").status_code == 401


def test_favourites_and_recently_viewed(django_assert_max_num_queries):
    user = UserFactory()
    client = bearer_client(user)
    listings = [search_listing(title=f"L{i}") for i in range(3)]
    for listing in listings:
        assert client.put(f"/api/v1/market/favourites/{listing.public_id}").status_code == 200
        assert (
            client.post(
                "/api/v1/market/recently-viewed", {"listing": str(listing.public_id)}, format="json"
            ).status_code
            == 204
        )
    with django_assert_max_num_queries(5):
        favourites = client.get("/api/v1/market/favourites").json()
    assert [f["title"] for f in favourites] == ["L2", "L1", "L0"]
    with django_assert_max_num_queries(5):
        recent = client.get("/api/v1/market/recently-viewed").json()
    assert [r["title"] for r in recent] == ["L2", "L1", "L0"]
    assert client.delete(f"/api/v1/market/favourites/{listings[0].public_id}").status_code == 204
    assert Favourite.objects.filter(user=user).count() == 2
    draft = search_listing(title="Brouillon", status="draft")
    assert client.put(f"/api/v1/market/favourites/{draft.public_id}").status_code == 404


def test_graphql_search_facets_and_the_seekers_lists():
    search_listing(title="Studio Calavi", kind="studio", city="Abomey-Calavi", price=60_000)
    anonymous = APIClient()
    data = gql(
        anonymous,
        "query($c: MarketSearchInput) { marketSearch(criteria: $c) { matchCount nextCursor "
        "hits { title price { amount currency } city distanceM } } }",
        {"c": {"text": "calavi", "priceMax": 70000}},
    )
    assert data["marketSearch"]["matchCount"] == 1
    assert data["marketSearch"]["hits"][0]["price"] == {"amount": 60000, "currency": "XOF"}
    facets = gql(anonymous, "{ marketSearchFacets { cities { value count } matchCount exact } }")
    assert facets["marketSearchFacets"]["cities"] == [{"value": "Abomey-Calavi", "count": 1}]
    assert facets["marketSearchFacets"]["matchCount"] == 1 and facets["marketSearchFacets"]["exact"] is True
    refused = gql_response(anonymous, '{ marketSearch(criteria: {sort: "cheap"}) { matchCount } }')
    assert refused["errors"]
    assert gql_response(anonymous, "{ marketSavedSearches { name } }")["errors"]

    user = UserFactory()
    client = bearer_client(user)
    saved = gql(
        client,
        'mutation { marketSaveSearch(name: "Calavi", criteria: {text: "calavi"}) { ok errors { code } '
        "savedSearch { id name query } } }",
    )["marketSaveSearch"]
    assert saved["ok"], saved
    assert gql(client, "{ marketSavedSearches { name } }")["marketSavedSearches"] == [{"name": "Calavi"}]
    listing_id = str(Listing.objects.get().public_id)
    added = gql(client, "mutation($l: UUID!) { marketAddFavourite(listingId: $l) { ok } }", {"l": listing_id})
    assert added["marketAddFavourite"]["ok"]
    assert gql(client, "{ marketFavourites { title } }")["marketFavourites"] == [{"title": "Studio Calavi"}]
    anonymous_save = gql(
        anonymous, 'mutation { marketSaveSearch(name: "x", criteria: {}) { ok errors { code } } }'
    )["marketSaveSearch"]
    assert anonymous_save["ok"] is False
