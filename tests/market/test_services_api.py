"""REST and GraphQL of applications and local services: the same services, bad input a 400
problem or a typed error (never a 500), lists under a query ceiling, another's object a 404."""

import pytest
from django.urls import reverse

from apps.market.models import Application, Quote
from apps.market.services import applications as apps_svc
from apps.market.services import quotes
from tests.helpers import bearer_client, gql

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(name, kwargs={"version": "v1", **kwargs})


def test_apply_accept_by_rest(market_applications_world):
    w = market_applications_world
    seeker = bearer_client(w.seeker)
    bad = seeker.post(url("market-applications"), {"listing": str(w.listing.public_id), "household_size": 0})
    assert bad.status_code == 400
    assert (
        seeker.post(url("market-applications"), {"listing": str(w.listing.public_id), "oops": 1}).status_code
        == 400
    )
    created = seeker.post(
        url("market-applications"), {"listing": str(w.listing.public_id), "message": "Bonjour"}
    )
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    again = seeker.post(url("market-applications"), {"listing": str(w.listing.public_id)})
    assert again.status_code == 409 and again.json()["code"] == "market_already_applied"
    assert seeker.get(url("market-applications")).json()["results"][0]["id"] == app_id
    # another agency's manager sees nothing
    other = bearer_client(w.other_manager)
    assert other.get(url("market-listing-applicants", listing_id=w.listing.public_id)).status_code == 404
    assert other.post(url("market-application-accept", application_id=app_id)).status_code == 404
    manager = bearer_client(w.manager)
    rows = manager.get(url("market-listing-applicants", listing_id=w.listing.public_id)).json()
    assert rows[0]["name"] == "Awa Seeker"
    accepted = manager.post(url("market-application-accept", application_id=app_id))
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["lease_form_url"].startswith("/manager/estate/leases/new?unit=")


def test_my_applications_list_has_a_query_ceiling(market_applications_world, django_assert_max_num_queries):
    from apps.market.models import Listing

    w = market_applications_world
    for n in range(5):
        listing = Listing.objects.create(
            organization=w.agency,
            kind="studio",
            title=f"Studio {n}",
            price=50_000,
            city="Cotonou",
            status="published",
        )
        apps_svc.apply(applicant=w.seeker, listing=listing)
    client = bearer_client(w.seeker)
    with django_assert_max_num_queries(12):
        response = client.get(url("market-applications"))
    assert len(response.json()["results"]) == 5


def test_graphql_apply_and_applicants(market_applications_world):
    w = market_applications_world
    data = gql(
        bearer_client(w.seeker),
        "mutation($l: UUID!) { marketApply(listingId: $l, householdSize: 40) { ok errors { field code } } }",
        {"l": str(w.listing.public_id)},
    )
    assert (
        data["marketApply"]["ok"] is False and data["marketApply"]["errors"][0]["field"] == "household_size"
    )
    data = gql(
        bearer_client(w.seeker),
        "mutation($l: UUID!) { marketApply(listingId: $l) { ok application { id status } } }",
        {"l": str(w.listing.public_id)},
    )
    assert data["marketApply"]["application"]["status"] == "submitted"
    query = "query($l: UUID!) { marketApplicants(listingId: $l) { name application { id } } }"
    assert (
        gql(bearer_client(w.other_manager), query, {"l": str(w.listing.public_id)})["marketApplicants"]
        is None
    )
    rows = gql(bearer_client(w.manager), query, {"l": str(w.listing.public_id)})["marketApplicants"]
    assert rows[0]["name"] == "Awa Seeker"
    assert Application.objects.count() == 1


def test_quote_flow_by_rest(market_services_world, django_assert_max_num_queries):
    w = market_services_world
    seeker = bearer_client(w.seeker)
    bad = seeker.post(
        url("market-quote-requests"), {"trade": "astronaut", "city": "Cotonou", "description": "x"}
    )
    assert bad.status_code == 400
    created = seeker.post(
        url("market-quote-requests"),
        {"trade": "plumber", "city": "Cotonou", "description": "Fuite"},
        format="json",
    )
    assert created.status_code == 201, created.content
    req_id = created.json()["id"]
    plumber = bearer_client(w.plumber.user)
    with django_assert_max_num_queries(12):
        matching = plumber.get(url("market-quote-requests-matching")).json()["results"]
    assert [r["id"] for r in matching] == [req_id]
    # the Porto-Novo plumber neither sees it nor quotes it
    other = bearer_client(w.plumber_pn.user)
    assert other.get(url("market-quote-requests-matching")).json()["results"] == []
    assert other.get(url("market-quote-request", request_id=req_id)).status_code == 404
    assert other.post(url("market-quote-send", request_id=req_id), {"amount": 1000}).status_code == 404
    for amount in (0, -1, "12", 1.5):
        refused = plumber.post(url("market-quote-send", request_id=req_id), {"amount": amount}, format="json")
        assert refused.status_code == 400, (amount, refused.content)
    sent = plumber.post(url("market-quote-send", request_id=req_id), {"amount": 25_000}, format="json")
    assert sent.status_code == 201 and sent.json()["amount"]["amount"] == 25_000
    quote_id = sent.json()["id"]
    detail = seeker.get(url("market-quote-request", request_id=req_id)).json()
    assert [q["id"] for q in detail["quotes"]] == [quote_id]
    assert other.post(url("market-quote-accept", quote_id=quote_id)).status_code == 404
    assert seeker.post(url("market-quote-accept", quote_id=quote_id)).json()["status"] == "accepted"
    paid = seeker.post(url("market-quote-pay", quote_id=quote_id), HTTP_IDEMPOTENCY_KEY="k1")
    assert paid.status_code == 200 and paid.json()["pay_url"]
    assert seeker.post(url("market-quote-review", quote_id=quote_id), {"rating": 5}).status_code == 409
    assert Quote.objects.get().status == "accepted"


def test_public_provider_directory_and_profile(market_services_world):
    w = market_services_world
    anonymous = bearer_client(None)
    rows = anonymous.get(url("market-providers"), {"trade": "plumber", "city": "Cotonou"}).json()
    assert [r["name"] for r in rows] == ["Plomberie Akpovi"]
    assert anonymous.get(url("market-providers"), {"trade": "x", "city": "Cotonou"}).status_code == 400
    assert anonymous.get(url("market-provider", provider_id=w.electrician.public_id)).status_code == 404
    profile = anonymous.get(url("market-provider", provider_id=w.plumber.public_id)).json()
    assert profile["reviews"] == [] and profile["rating"] is None


def test_graphql_quote_flow(market_services_world):
    w = market_services_world
    data = gql(
        bearer_client(w.seeker),
        'mutation { marketCreateQuoteRequest(trade: PLUMBER, city: "Cotonou", description: "Fuite") '
        "{ ok errors { code } quoteRequest { id } } }",
    )
    req_id = data["marketCreateQuoteRequest"]["quoteRequest"]["id"]
    data = gql(
        bearer_client(w.plumber.user),
        "mutation($r: UUID!) { marketSendQuote(requestId: $r, amount: 0) { ok errors { field } } }",
        {"r": req_id},
    )
    assert data["marketSendQuote"]["ok"] is False
    data = gql(
        bearer_client(w.plumber.user),
        "mutation($r: UUID!) { marketSendQuote(requestId: $r, amount: 15000) { ok quote { id amount { amount } } } }",
        {"r": req_id},
    )
    quote_id = data["marketSendQuote"]["quote"]["id"]
    hidden = gql(
        bearer_client(w.plumber_pn.user),
        "query($r: UUID!) { marketQuoteRequest(requestId: $r) { id } }",
        {"r": req_id},
    )
    assert hidden["marketQuoteRequest"] is None
    data = gql(
        bearer_client(w.seeker),
        "mutation($q: UUID!) { marketAcceptQuote(quoteId: $q) { ok quote { status } } }",
        {"q": quote_id},
    )
    assert data["marketAcceptQuote"]["quote"]["status"] == "accepted"
    data = gql(bearer_client(w.seeker), "{ marketQuoteRequests { id quotes { id status } } }")
    assert data["marketQuoteRequests"][0]["quotes"][0]["status"] == "accepted"
    providers = gql(
        bearer_client(None), '{ marketProviders(trade: PLUMBER, city: "Cotonou") { name rating } }'
    )
    assert providers["marketProviders"][0]["name"] == "Plomberie Akpovi"
    assert quotes.quote_for(w.seeker, quote_id).status == "accepted"


def test_lists_have_query_ceilings(
    market_services_world, market_applications_world, django_assert_max_num_queries
):
    from apps.market.models import Listing

    w = market_services_world
    for n in range(4):
        req = quotes.request_create(actor=w.seeker, trade="plumber", city="Cotonou", description=f"Fuite {n}")
        quotes.quote_send(actor=w.plumber.user, request=req, amount=10_000 + n)
    seeker, plumber, anonymous = bearer_client(w.seeker), bearer_client(w.plumber.user), bearer_client(None)
    with django_assert_max_num_queries(12):
        assert len(seeker.get(url("market-quote-requests")).json()["results"]) == 4
    with django_assert_max_num_queries(12):
        assert len(plumber.get(url("market-quotes")).json()["results"]) == 4
    with django_assert_max_num_queries(12):
        assert (
            len(anonymous.get(url("market-providers"), {"trade": "plumber", "city": "Cotonou"}).json()) == 1
        )
    a = market_applications_world
    listing = Listing.objects.get(pk=a.listing.pk)
    from tests.identity.factories import UserFactory

    for _n in range(4):
        apps_svc.apply(applicant=UserFactory(), listing=listing)
    manager = bearer_client(a.manager)
    with django_assert_max_num_queries(14):
        assert len(manager.get(url("market-listing-applicants", listing_id=listing.public_id)).json()) == 4


def test_a_provider_adds_a_photo_by_rest(market_services_world):
    import io

    from PIL import Image

    w = market_services_world
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "blue").save(buffer, "PNG")
    buffer.name = "work.png"
    buffer.seek(0)
    client = bearer_client(w.plumber.user)
    response = client.post(url("market-provider-photos"), {"photo": buffer}, format="multipart")
    assert response.status_code == 201, response.content
    assert len(response.json()["photos"]) == 1
    bad = client.post(url("market-provider-photos"), {"caption": "sans photo"}, format="multipart")
    assert bad.status_code == 400
    assert bearer_client(w.seeker).post(
        url("market-provider-photos"), {"photo": io.BytesIO(b"x")}, format="multipart"
    ).status_code in (400, 404)
