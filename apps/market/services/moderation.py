"""The listing rules (docs/market.md, "Listings: moderation").

Two outcomes. A *refusal* raises a translated DomainError and nothing is written:
- an impossible price: 0 or negative, or over MARKET_PRICE_MAX_MEDIAN_RATIO (100) × the area
  median (published listings of the same purpose, kind, city and currency);
- GPS outside the listing's country (a box per country, MARKET_COUNTRY_BOUNDS), or only one of
  latitude/longitude.
A *flag* (a code in `listing.flags`) sends the listing to the staff's moderation queue
(in_review) instead of publishing it:
- `forbidden_words`: a word of MARKET_FORBIDDEN_WORDS in the title or description (accents and
  case ignored);
- `duplicate_photo`: a photo whose 64-bit dHash is within MARKET_PHOTO_HASH_DISTANCE (6) bits of
  a photo of another organization's (or another owner's) listing;
- `price_far_from_estimate`: the price outside [low / 2, high × 2] of the valuation estimate
  (an estimator registered through `market.api.register_price_estimator`, for a unit under
  management), else outside [median / 3, median × 3] of the area median.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from uuid import UUID

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..contracts import VISIBLE_STATUSES
from ..errors import ImpossiblePrice, InvalidListing, PositionOutsideCountry

FLAG_FORBIDDEN_WORDS = "forbidden_words"
FLAG_DUPLICATE_PHOTO = "duplicate_photo"
FLAG_PRICE = "price_far_from_estimate"
FLAG_LABELS = {
    FLAG_FORBIDDEN_WORDS: _("forbidden words"),
    FLAG_DUPLICATE_PHOTO: _("photo already used by another offerer"),
    FLAG_PRICE: _("price far from the estimate"),
}

# fn(unit_id) -> (low, estimate, high) in minor units, or None (no estimate for that unit)
PriceEstimator = Callable[[UUID], "tuple[int, int, int] | None"]
_ESTIMATORS: list[PriceEstimator] = []


def register_price_estimator(fn: PriceEstimator) -> None:
    """A module above market (scoring's valuation) estimates a managed unit's rent."""
    if fn not in _ESTIMATORS:
        _ESTIMATORS.append(fn)


def _estimate(unit_id) -> tuple[int, int, int] | None:
    if unit_id is None:
        return None
    for fn in _ESTIMATORS:
        try:
            found = fn(unit_id)
        except Exception:  # noqa: BLE001 -- an estimator's failure never blocks a listing
            found = None
        if found:
            return tuple(int(x) for x in found)
    return None


def fold(text: str) -> str:
    """Lower case without accents (« Fidjrossè » -> « fidjrosse »)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def area_median(*, purpose: str, kind: str, city: str, currency: str, exclude_pk=None) -> int | None:
    """The median price of the published (or reserved) listings of the same purpose, kind,
    city and currency; None below MARKET_MEDIAN_MIN_SAMPLE of them. One query."""
    from ..models import Listing

    qs = Listing.objects.filter(
        status__in=[str(s) for s in VISIBLE_STATUSES],
        purpose=purpose,
        kind=kind,
        city__iexact=city,
        currency=currency,
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    minimum = settings.MARKET_MEDIAN_MIN_SAMPLE
    if connection.vendor == "postgresql":
        sql, params = qs.values("price").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*), percentile_disc(0.5) WITHIN GROUP (ORDER BY price) FROM ({sql}) s",  # noqa: S608
                params,
            )
            count, median = cursor.fetchone()
        return int(median) if count >= minimum and median is not None else None
    prices = sorted(qs.values_list("price", flat=True))
    if len(prices) < minimum:
        return None
    return prices[(len(prices) - 1) // 2]


def check_price(*, price, purpose: str, kind: str, city: str, currency: str, exclude_pk=None) -> int | None:
    """Refuse an impossible price; return the area median (or None) for the flag rule."""
    if price is None or int(price) <= 0:
        raise ImpossiblePrice(_("The price must be more than zero."), field="price")
    median = area_median(purpose=purpose, kind=kind, city=city, currency=currency, exclude_pk=exclude_pk)
    if median and int(price) > median * settings.MARKET_PRICE_MAX_MEDIAN_RATIO:
        raise ImpossiblePrice(
            _("This price is more than %(ratio)s times the usual price of such homes in this city.")
            % {"ratio": settings.MARKET_PRICE_MAX_MEDIAN_RATIO},
            field="price",
        )
    return median


def check_position(*, country: str, latitude, longitude) -> None:
    """Both coordinates or neither; inside the country's box when it has one."""
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        raise InvalidListing(_("Give both the latitude and the longitude, or neither."), field="latitude")
    lat, lng = float(latitude), float(longitude)
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise PositionOutsideCountry(_("These coordinates do not exist."), field="latitude")
    box = settings.MARKET_COUNTRY_BOUNDS.get((country or "").upper())
    if box is None:
        return
    lat_min, lat_max, lng_min, lng_max = box
    if not (lat_min <= lat <= lat_max and lng_min <= lng <= lng_max):
        raise PositionOutsideCountry(field="latitude")


def forbidden_words_in(*texts: str) -> list[str]:
    folded = " ".join(fold(t) for t in texts)
    return [w for w in settings.MARKET_FORBIDDEN_WORDS if w and fold(w) in folded]


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def _offerer_q(listing) -> Q:
    """Listings of another offerer than `listing`'s (another organization, or another owner)."""
    if listing.organization_id is not None:
        return ~Q(listing__organization_id=listing.organization_id)
    return Q(listing__organization_id__isnull=False) | ~Q(listing__owner_id=listing.owner_id)


def duplicate_photos(listing, hashes: list[str] | None = None) -> bool:
    """Any of the listing's photo hashes (or `hashes`) within MARKET_PHOTO_HASH_DISTANCE bits of
    another offerer's photo. PostgreSQL compares in SQL (bit_count of the XOR); elsewhere in
    Python. A scan of the photos table: docs/market.md says how it would be indexed at scale."""
    from ..models import ListingPhoto

    if hashes is None:
        hashes = [
            h for h in ListingPhoto.objects.filter(listing=listing).values_list("phash", flat=True) if h
        ]
    hashes = [h for h in hashes if h and len(h) == 16]
    if not hashes:
        return False
    distance = settings.MARKET_PHOTO_HASH_DISTANCE
    others = ListingPhoto.objects.filter(_offerer_q(listing)).exclude(phash="")
    if connection.vendor == "postgresql":
        sql, params = others.values("phash").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM ({sql}) o, unnest(%s::text[]) AS h(hex) "  # noqa: S608
                "WHERE bit_count(('x' || o.phash)::bit(64) # ('x' || h.hex)::bit(64)) <= %s LIMIT 1",
                [*params, hashes, distance],
            )
            return cursor.fetchone() is not None
    return any(hamming(a, b) <= distance for b in others.values_list("phash", flat=True) for a in hashes)


def price_flag(listing, median: int | None) -> bool:
    price = int(listing.price)
    estimate = _estimate(listing.unit)
    if estimate is not None:
        low, _estimate_value, high = estimate
        return price < low / 2 or price > high * 2
    if median:
        ratio = settings.MARKET_PRICE_FLAG_RATIO
        return price * ratio < median or price > median * ratio
    return False


def refuse_or_pass(listing) -> int | None:
    """The refusal rules on the listing's current fields (raise), the area median back."""
    check_position(country=listing.country, latitude=listing.latitude, longitude=listing.longitude)
    return check_price(
        price=listing.price,
        purpose=listing.purpose,
        kind=listing.kind,
        city=listing.city,
        currency=listing.currency,
        exclude_pk=listing.pk,
    )


def flags_of(listing, *, median: int | None = None, with_photos: bool = True) -> list[str]:
    """The flag codes the listing raises now (after `refuse_or_pass`)."""
    flags = []
    if forbidden_words_in(listing.title, listing.description):
        flags.append(FLAG_FORBIDDEN_WORDS)
    if with_photos and listing.pk and duplicate_photos(listing):
        flags.append(FLAG_DUPLICATE_PHOTO)
    if price_flag(listing, median):
        flags.append(FLAG_PRICE)
    return flags


def flag_labels(flags) -> list[str]:
    return [str(FLAG_LABELS.get(f, f)) for f in flags or ()]
