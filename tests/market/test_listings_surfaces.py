"""Listings through REST, GraphQL, the manager pages and the admin moderation queue."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from apps.market.models import Listing
from apps.market.services import listings as svc
from tests.fixtures.market import listings_agency, listings_owner
from tests.helpers import bearer_client, gql
from tests.identity.factories import UserFactory

pytestmark = pytest.mark.django_db


def _url(name, **kwargs):
    return reverse(name, kwargs={"version": "v1", **kwargs})


def _jpeg(color=(200, 30, 30), size=(640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return out.getvalue()


def test_rest_publish_a_vacant_unit_then_edit_and_withdraw():
    world = listings_agency()
    client = bearer_client(world.manager)
    units = client.get(_url("market-vacant-units")).json()
    assert [u["unit"] for u in units] == [str(world.unit.public_id)]
    assert units[0]["rent"]["amount"] == 85_000 and units[0]["rent"]["currency"] == "XOF"
    created = client.post(
        _url("market-listing-from-unit"), {"unit": str(world.unit.public_id)}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "published" and body["verified"] is True and body["price"]["amount"] == 85_000
    listing_id = body["id"]
    changed = client.patch(_url("market-listing", listing_id=listing_id), {"price": 80_000}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["price_history"][0]["old_price"]["amount"] == 85_000
    refused = client.patch(_url("market-listing", listing_id=listing_id), {"price": 0}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "market_listing_impossible_price"
    again = client.post(_url("market-listing-from-unit"), {"unit": str(world.unit.public_id)}, format="json")
    assert again.status_code == 409
    withdrawn = client.post(_url("market-listing-withdraw", listing_id=listing_id))
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_rest_photo_upload_and_another_organization_gets_404():
    world = listings_agency()
    listing = svc.create_from_unit(actor=world.manager, unit_id=world.unit.public_id)
    client = bearer_client(world.manager)
    upload = io.BytesIO(_jpeg())
    upload.name = "salon.jpg"
    response = client.post(
        _url("market-listing-photos", listing_id=listing.public_id), {"photo": upload}, format="multipart"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["photo_count"] == 1 and body["cover"] and len(body["photos"]) == 1
    not_an_image = io.BytesIO(b"%PDF-1.4 not a photo")
    not_an_image.name = "x.jpg"
    bad = client.post(
        _url("market-listing-photos", listing_id=listing.public_id),
        {"photo": not_an_image},
        format="multipart",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "market_photo_invalid"
    other = bearer_client(listings_agency().manager)
    assert other.get(_url("market-listing", listing_id=listing.public_id)).status_code == 404
    assert other.post(_url("market-listing-withdraw", listing_id=listing.public_id)).status_code == 404


def test_rest_list_is_paged_with_a_query_ceiling(django_assert_max_num_queries):
    owner = listings_owner()
    for n in range(12):
        svc.create(
            actor=owner,
            organization_id=None,
            kind="studio",
            title=f"Studio {n}",
            price=50_000,
            city="Cotonou",
        )
    client = bearer_client(owner)
    with django_assert_max_num_queries(12):
        page = client.get(_url("market-listings") + "?page_size=5").json()
    assert len(page["results"]) == 5 and page["next"]
    assert page["results"][0]["title"] == "Studio 11" and page["results"][0]["organization"] is None


def test_rest_independent_owner_without_kyc_is_refused():
    client = bearer_client(listings_owner(tier=0))
    response = client.post(
        _url("market-listings"),
        {"kind": "studio", "title": "Studio", "price": 50_000, "city": "Cotonou"},
        format="json",
    )
    assert response.status_code == 403 and response.json()["code"] == "market_kyc_required"


def test_graphql_create_from_unit_and_my_listings():
    world = listings_agency()
    client = bearer_client(world.manager)
    data = gql(
        client,
        "mutation($u: UUID!) { marketListingCreateFromUnit(unitId: $u) { ok errors { code } listing { id status verified price { amount currency } } } }",
        {"u": str(world.unit.public_id)},
    )["marketListingCreateFromUnit"]
    assert (
        data["ok"]
        and data["listing"]["status"] == "published"
        and data["listing"]["price"]["amount"] == 85_000
    )
    mine = gql(client, "{ marketMyListings { id title } marketVacantUnits { unit } }")
    assert [x["id"] for x in mine["marketMyListings"]] == [data["listing"]["id"]] and mine[
        "marketVacantUnits"
    ]
    outsider = bearer_client(UserFactory())
    other = gql(outsider, f'{{ marketMyListing(listingId: "{data["listing"]["id"]}") {{ id }} }}')
    assert other["marketMyListing"] is None
    refused = gql(
        outsider,
        f'mutation {{ marketListingWithdraw(listingId: "{data["listing"]["id"]}") {{ ok errors {{ code }} }} }}',
    )["marketListingWithdraw"]
    assert not refused["ok"]


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_publish_in_one_click_edit_with_errors_and_withdraw():
    world = listings_agency()
    client = _session(world.manager)
    home = client.get(reverse("manager:market-listings"))
    assert home.status_code == 200 and 'data-testid="vacant-unit"' in home.content.decode()
    response = client.post(
        reverse("manager:market-listing-publish"), {"unit": str(world.unit.public_id)}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    listing = Listing.objects.get(unit=world.unit.public_id)
    assert listing.status == "published" and 'data-testid="listing-form"' in page
    # the form's errors: a price of 0 is refused on the form
    fields = {
        "title": listing.title,
        "kind": listing.kind,
        "rooms": 1,
        "price": 0,
        "charges": 0,
        "deposit_months": 0,
        "advance_months": 0,
    }
    bad = client.post(reverse("manager:market-listing", args=[listing.public_id]), fields)
    assert bad.status_code == 400 and 'class="errorlist"' in bad.content.decode()
    fields["price"] = 90_000
    ok = client.post(reverse("manager:market-listing", args=[listing.public_id]), fields)
    assert ok.status_code == 302
    listing.refresh_from_db()
    assert listing.price == 90_000 and listing.city == "Cotonou"
    confirm = client.get(reverse("manager:market-listing-withdraw", args=[listing.public_id]))
    assert confirm.status_code == 200 and 'data-testid="confirm-withdraw"' in confirm.content.decode()
    client.post(reverse("manager:market-listing-withdraw", args=[listing.public_id]), {"confirm": "yes"})
    listing.refresh_from_db()
    assert listing.status == "withdrawn"
    other = _session(listings_agency().manager)
    assert other.get(reverse("manager:market-listing", args=[listing.public_id])).status_code == 404


def test_admin_queue_approves_a_flagged_listing():
    world = listings_agency()
    listing = svc.create_from_unit(
        actor=world.manager,
        unit_id=world.unit.public_id,
        overrides={"description": "Paiement avant visite exigé"},
    )
    assert listing.status == "in_review"
    from tests.identity.test_admin_and_audit import admin_login, staff

    officer, device = staff("support")
    client, _ = admin_login(officer, device)
    queue = client.get(reverse("admin:market_listing_changelist"))
    assert queue.status_code == 200 and listing.title in queue.content.decode()
    client.post(
        reverse("admin:market_listing_changelist"),
        {"action": "approve_selected", "_selected_action": [listing.pk]},
    )
    listing.refresh_from_db()
    assert listing.status == "published"


def test_graphql_and_page_lists_have_a_query_ceiling(django_assert_max_num_queries):
    world = listings_agency()
    svc.create_from_unit(actor=world.manager, unit_id=world.unit.public_id)
    for n in range(8):
        svc.create(
            actor=world.manager,
            organization_id=world.agency.pk,
            kind="apartment",
            title=f"Appartement {n}",
            price=120_000,
            city="Cotonou",
        )
    client = bearer_client(world.manager)
    with django_assert_max_num_queries(12):
        rows = gql(client, "{ marketMyListings(first: 20) { id title organization price { amount } } }")
    assert len(rows["marketMyListings"]) == 9
    assert {r["organization"] for r in rows["marketMyListings"]} == {str(world.agency.public_id)}
    page = _session(world.manager)
    with django_assert_max_num_queries(20):
        html = page.get(reverse("manager:market-listings")).content.decode()
    assert html.count('data-testid="listing"') == 9


def test_the_public_api_reads_a_listing_online_only():
    from apps.market import api
    from apps.market.errors import ListingNotFound

    world = listings_agency()
    listing = svc.create_from_unit(actor=world.manager, unit_id=world.unit.public_id)
    hit = api.listing_facts(listing.public_id)
    assert hit.public_id == str(listing.public_id) and hit.verified and hit.price == 85_000
    svc.withdraw(actor=world.manager, listing=listing)
    for wrong in (listing.public_id, "not-a-uuid"):
        with pytest.raises(ListingNotFound):
            api.listing_facts(wrong)
