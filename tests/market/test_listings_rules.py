"""The listing rules (services/moderation.py): refusals (impossible price, GPS outside the
country) and flags (forbidden words without accents, duplicate photos by dHash, a price far
from the estimate or the area median) that send a listing to review."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from apps.market.errors import ImpossiblePrice, InvalidListing, PositionOutsideCountry
from apps.market.services import listings as svc
from apps.market.services import moderation
from apps.market.services.photos import dhash
from tests.fixtures.market import listings_agency, listings_owner

pytestmark = pytest.mark.django_db


def _draft(owner, **fields):
    values = {"kind": "studio", "title": "Studio", "price": 50_000, "city": "Cotonou", "country": "BJ"}
    values.update(fields)
    return svc.create(actor=owner, organization_id=None, **values)


def _published(n, price, **fields):
    owner = listings_owner()
    return svc.submit(actor=owner, listing=_draft(owner, title=f"Studio {n}", price=price, **fields))


def test_gps_boxes_of_the_eight_countries():
    moderation.check_position(country="BJ", latitude=6.37, longitude=2.39)  # Cotonou
    moderation.check_position(country="CI", latitude=5.35, longitude=-4.01)  # Abidjan
    moderation.check_position(country="SN", latitude=14.69, longitude=-17.44)  # Dakar
    moderation.check_position(country="NE", latitude=13.51, longitude=2.11)  # Niamey
    moderation.check_position(country="XX", latitude=48.85, longitude=2.35)  # no box: not checked
    with pytest.raises(PositionOutsideCountry):
        moderation.check_position(country="BJ", latitude=48.85, longitude=2.35)  # Paris
    with pytest.raises(PositionOutsideCountry):
        moderation.check_position(country="TG", latitude=5.35, longitude=-4.01)
    with pytest.raises(InvalidListing):
        moderation.check_position(country="BJ", latitude=6.37, longitude=None)


def test_a_price_over_a_hundred_times_the_area_median_is_refused_and_far_from_it_is_flagged():
    for n, price in enumerate((48_000, 50_000, 52_000)):
        _published(n, price)
    assert moderation.area_median(purpose="rent", kind="studio", city="Cotonou", currency="XOF") == 50_000
    owner = listings_owner()
    with pytest.raises(ImpossiblePrice):
        _draft(owner, price=50_000 * 100 + 1)
    far = svc.submit(actor=owner, listing=_draft(owner, price=400_000))
    assert far.status == "in_review" and far.flags == ["price_far_from_estimate"]
    near = svc.submit(actor=owner, listing=_draft(owner, price=60_000))
    assert near.status == "published" and near.flags == []


def test_the_valuation_estimator_decides_for_a_managed_unit():
    world = listings_agency()
    calls = []

    def estimator(unit_id):
        calls.append(unit_id)
        return (20_000, 25_000, 30_000)

    moderation.register_price_estimator(estimator)
    try:
        listing = svc.create_from_unit(
            actor=world.manager, unit_id=world.unit.public_id
        )  # 85 000 > 2 × 30 000
    finally:
        moderation._ESTIMATORS.remove(estimator)
    assert calls == [world.unit.public_id]
    assert listing.status == "in_review" and listing.flags == ["price_far_from_estimate"]


def test_forbidden_words_are_found_without_accents_or_case():
    assert moderation.forbidden_words_in("Payez par WESTERN union", "") == ["western union"]
    assert moderation.forbidden_words_in("Interdit aux étrangers") == ["interdit aux etrangers"]
    assert moderation.forbidden_words_in("Bel appartement lumineux") == []


def _picture(seed: int) -> bytes:
    image = Image.new("RGB", (400, 300), (240, 240, 240))
    draw = ImageDraw.Draw(image)
    for k in range(6):
        x = (seed * 37 + k * 61) % 360
        draw.rectangle([x, k * 45, x + 40, k * 45 + 40], fill=((seed * 50 + k * 30) % 255, 20, 200))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def test_dhash_sees_a_recompressed_copy_as_the_same_photo():
    original = Image.open(io.BytesIO(_picture(1)))
    smaller = original.resize((200, 150))
    assert moderation.hamming(dhash(original), dhash(smaller)) <= 6
    assert moderation.hamming(dhash(original), dhash(Image.open(io.BytesIO(_picture(4))))) > 6


class _Upload(io.BytesIO):
    name = "photo.jpg"

    @property
    def size(self):
        return len(self.getvalue())


def test_a_photo_of_another_offerer_flags_the_listing():
    first_owner, second_owner = listings_owner(), listings_owner()
    first = svc.submit(actor=first_owner, listing=_draft(first_owner, title="Studio A"))
    svc.add_photo(actor=first_owner, listing=first, upload=_Upload(_picture(2)))
    second = svc.submit(actor=second_owner, listing=_draft(second_owner, title="Studio B"))
    assert second.status == "published"
    svc.add_photo(actor=second_owner, listing=second, upload=_Upload(_picture(2)))
    second.refresh_from_db()
    assert second.status == "in_review" and "duplicate_photo" in second.flags
    # the same owner using their own photo again is no duplicate
    svc.add_photo(actor=first_owner, listing=first, upload=_Upload(_picture(3)))
    third = svc.submit(actor=first_owner, listing=_draft(first_owner, title="Studio C"))
    svc.add_photo(actor=first_owner, listing=third, upload=_Upload(_picture(3)))
    third.refresh_from_db()
    assert third.status == "published" and third.photo_count == 1 and third.cover
