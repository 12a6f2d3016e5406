"""Listings: one-click publication from a vacant unit, independent owners after KYC, updates
with price history, submit/approve/reject, reserve/release/close/withdraw, expiry, the estate
reads and the LeaseSigned handler."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.core.errors import Forbidden, NotFound
from apps.core.outbox import OutboxEvent
from apps.estate import api as estate
from apps.market.errors import (
    ImpossiblePrice,
    InvalidListing,
    InvalidListingState,
    KycTierRequired,
    ListingNotFound,
    PositionOutsideCountry,
    UnitAlreadyListed,
    UnitNotVacant,
)
from apps.market.models import Listing, ListingModeration, ListingPriceChange
from apps.market.services import listings as svc
from tests.fixtures.market import listings_agency, listings_owner
from tests.identity.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _events(name):
    return list(OutboxEvent.objects.filter(name=name).values_list("payload", flat=True))


def _staff(role="support"):
    return UserFactory(is_staff=True, staff_role=role)


def test_estate_reads_vacant_units_and_a_units_facts():
    world = listings_agency()
    other = listings_agency()
    vacant = estate.vacant_units({world.agency.pk})
    assert [v.unit for v in vacant] == [world.unit.public_id]
    assert vacant[0].rent == 85_000 and vacant[0].neighbourhood == "Fidjrossè"
    facts = estate.unit_listing_facts(world.unit.public_id)
    assert facts.organization_id == world.agency.pk and facts.kind == "studio"
    assert facts.latitude == pytest.approx(6.3554) and facts.longitude == pytest.approx(2.3660)
    assert facts.rent == 85_000 and facts.status == "vacant"
    assert other.unit.public_id not in {v.unit for v in vacant}
    with pytest.raises(NotFound):
        estate.unit_listing_facts("not-a-uuid")


def test_one_click_publishes_a_vacant_unit_verified_with_its_real_figures():
    world = listings_agency()
    listing = svc.create_from_unit(actor=world.manager, unit_id=world.unit.public_id)
    assert listing.status == "published" and listing.verified is True
    assert listing.organization_id == world.agency.pk and listing.owner_id is None
    assert listing.unit == world.unit.public_id and listing.price == 85_000 and listing.kind == "studio"
    assert listing.city == "Cotonou" and listing.neighbourhood == "Fidjrossè"
    assert "fidjrosse" in listing.search_text and "studio" in listing.search_text
    assert listing.published_at and listing.status_changed_at
    assert listing.expires_at - listing.published_at == timedelta(days=90)
    assert [e["listing_id"] for e in _events("market.ListingPublished")] == [str(listing.public_id)]
    decisions = list(ListingModeration.objects.filter(listing=listing).values_list("decision", flat=True))
    assert decisions == ["submitted"]
    # a second click: the unit already has its live listing
    with pytest.raises(UnitAlreadyListed):
        svc.create_from_unit(actor=world.manager, unit_id=world.unit.public_id)


def test_an_unverified_agency_publishes_without_the_badge():
    world = listings_agency(verified=False)
    listing = svc.create_from_unit(actor=world.manager, unit_id=world.unit.public_id)
    assert listing.status == "published" and listing.verified is False


def test_only_a_manager_of_the_units_organization_may_publish_it():
    world = listings_agency()
    other = listings_agency()
    with pytest.raises(NotFound):
        svc.create_from_unit(actor=other.manager, unit_id=world.unit.public_id)
    viewer = MembershipFactory(organization=world.agency, role="viewer").user
    with pytest.raises(NotFound):
        svc.create_from_unit(actor=viewer, unit_id=world.unit.public_id)
    assert not Listing.objects.exists()


def test_an_occupied_unit_is_not_published():
    world = listings_agency()
    world.unit.status = "occupied"
    world.unit.save()
    with pytest.raises(UnitNotVacant):
        svc.create_from_unit(actor=world.manager, unit_id=world.unit.public_id)


def test_gps_outside_the_country_is_refused():
    world = listings_agency(lat=5.35, lng=-4.0)  # Abidjan, for a property in Benin
    with pytest.raises(PositionOutsideCountry):
        svc.create_from_unit(actor=world.manager, unit_id=world.unit.public_id)
    assert not Listing.objects.exists()


def test_an_independent_owner_needs_an_identity_verified():
    fields = {"kind": "room_living", "title": "Chambre salon", "price": 40_000, "city": "Cotonou"}
    fields["kind"] = "chambre_salon"
    with pytest.raises(KycTierRequired):
        svc.create(actor=listings_owner(tier=0), organization_id=None, **fields)
    owner = listings_owner(tier=1)
    listing = svc.create(actor=owner, organization_id=None, **fields)
    assert listing.status == "draft" and listing.owner == owner and listing.organization_id is None
    assert listing.verified is False
    assert svc.manageable_listing(owner, listing.public_id) == listing
    with pytest.raises(ListingNotFound):
        svc.manageable_listing(listings_owner(), listing.public_id)
    with pytest.raises(ListingNotFound):
        svc.visible_listing(listing.public_id)
    listing = svc.submit(actor=owner, listing=listing)
    assert listing.status == "published"
    assert svc.visible_listing(listing.public_id) == listing


@pytest.mark.parametrize("price", [0, -5])
def test_an_impossible_price_is_refused(price):
    owner = listings_owner()
    with pytest.raises(ImpossiblePrice) as refused:
        svc.create(
            actor=owner, organization_id=None, kind="studio", title="Studio", price=price, city="Cotonou"
        )
    assert refused.value.field == "price"


def test_update_keeps_the_price_history_and_search_text():
    world = listings_agency()
    listing = svc.create_from_unit(actor=world.manager, unit_id=world.unit.public_id)
    listing = svc.update(actor=world.manager, listing=listing, price=80_000, title="Beau studio meublé")
    assert listing.price == 80_000 and "beau studio meuble" in listing.search_text
    change = ListingPriceChange.objects.get(listing=listing)
    assert (change.old_price, change.new_price, change.changed_by) == (85_000, 80_000, world.manager)
    # a managed unit's place stays estate's
    with pytest.raises(InvalidListing) as refused:
        svc.update(actor=world.manager, listing=listing, city="Lomé")
    assert refused.value.field == "city"


def test_an_edit_with_forbidden_words_goes_back_to_review_and_staff_decide():
    world = listings_agency()
    listing = svc.create_from_unit(actor=world.manager, unit_id=world.unit.public_id)
    listing = svc.update(actor=world.manager, listing=listing, description="Paiement par Wéstern Union")
    assert listing.status == "in_review" and listing.flags == ["forbidden_words"]
    with pytest.raises(Forbidden):  # not staff
        svc.approve(staff=world.manager, listing=listing)
    listing = svc.reject(staff=_staff(), listing=listing, reason="Paiement hors Hokwe")
    assert listing.status == "draft"
    listing = svc.update(actor=world.manager, listing=listing, description="Visite sur rendez-vous")
    listing = svc.submit(actor=world.manager, listing=listing)
    assert listing.status == "published"
    decisions = list(
        ListingModeration.objects.filter(listing=listing)
        .order_by("created_at", "id")
        .values_list("decision", flat=True)
    )
    assert decisions == ["submitted", "flagged", "rejected", "submitted"]


def test_reserve_release_close_and_the_closed_event():
    world = listings_agency()
    listing = svc.create_from_unit(actor=world.manager, unit_id=world.unit.public_id)
    published_at = listing.published_at
    listing = svc.reserve(listing)
    assert listing.status == "reserved"
    listing = svc.release(listing)
    assert listing.status == "published" and listing.published_at == published_at
    assert len(_events("market.ListingPublished")) == 1
    listing = svc.close(listing, "let")
    assert listing.status == "let"
    assert _events("market.ListingClosed")[0]["status"] == "let"
    with pytest.raises(InvalidListingState):
        svc.withdraw(actor=world.manager, listing=listing)


def test_withdraw_frees_the_unit_for_a_new_listing():
    world = listings_agency()
    listing = svc.create_from_unit(actor=world.manager, unit_id=world.unit.public_id)
    svc.withdraw(actor=world.manager, listing=listing)
    again = svc.create_from_unit(actor=world.manager, unit_id=world.unit.public_id)
    assert again.status == "published" and again.pk != listing.pk


def test_expire_due_expires_published_listings_past_their_term():
    world = listings_agency()
    listing = svc.create_from_unit(actor=world.manager, unit_id=world.unit.public_id)
    assert svc.expire_due(now=timezone.now()) == 0
    later = listing.expires_at + timedelta(seconds=1)
    assert svc.expire_due(now=later) == 1
    assert svc.expire_due(now=later) == 0
    listing.refresh_from_db()
    assert listing.status == "expired"
    assert _events("market.ListingClosed")[0]["status"] == "expired"


def test_a_lease_signed_on_the_unit_closes_its_listing(django_capture_on_commit_callbacks):
    from apps.estate import services as estate_services

    world = listings_agency()
    listing = svc.create_from_unit(actor=world.manager, unit_id=world.unit.public_id)
    tenant = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        estate_services.lease_create(
            actor=world.manager,
            unit=world.unit,
            tenants=[estate_services.TenantInput(phone=str(tenant.phone), full_name=tenant.full_name)],
            start_date=date.today(),
            rent=85_000,
            due_day=5,
            grace_days=5,
        )
    listing.refresh_from_db()
    assert listing.status == "let"
    # the handler again (a replay): nothing more
    assert svc.close_unit_let(world.unit.public_id) == 0
