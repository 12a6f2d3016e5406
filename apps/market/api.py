"""PUBLIC: the functions other modules may call. They return plain values or frozen
dataclasses from contracts.py, never querysets."""

__all__: list[str] = [
    # --- listings ---
    "register_price_estimator",
    "listing_facts",
    "listing_offerer",
    "listings_offered_by",
    "managed_listing_add_photo",
    # --- search ---
    "search_listings",
    "search_facets",
    "register_sponsored_source",
    # --- applications ---
    "application_screening_facts",
    "attach_screening",
    "register_screening_reader",
    # --- visits ---
    "listing_visit_slots",
    "book_listing_visit",
    "seeker_visits",
]


# --- listings ---
def register_price_estimator(fn) -> None:
    """A module above market (scoring's valuation) registers `fn(unit_id: UUID) -> (low,
    estimate, high)` in minor units, or None: the moderation rule flags a managed unit's
    listing whose price is outside [low / 2, high × 2]. Without an estimator, the area median
    of published listings decides (÷ 3 / × 3)."""
    from .services.moderation import register_price_estimator as register

    register(fn)


def listing_facts(public_id):
    """A published or reserved listing as a ListingHit (ListingNotFound otherwise)."""
    from .services.listings import hit_of, visible_listing

    return hit_of(visible_listing(public_id))


def listing_offerer(public_id):
    """ListingOfferer of any listing (whatever its status): who offers it, whether it is
    verified, its status. ListingNotFound for an unknown id."""
    from .contracts import ListingOfferer
    from .errors import ListingNotFound
    from .models import Listing
    from .services.listings import _uuid

    row = Listing.objects.filter(public_id=_uuid(public_id)).first()
    if row is None:
        raise ListingNotFound()
    return ListingOfferer(
        public_id=str(row.public_id),
        organization_id=row.organization_id,
        owner_id=row.owner_id,
        verified=row.verified,
        status=row.status,
        title=row.title,
        city=row.city,
        neighbourhood=row.neighbourhood,
    )


def listings_offered_by(*, organization_id: int | None = None, owner_id: int | None = None, limit: int = 200):
    """The listings online (published or reserved) of an organization, or of an independent
    owner, as ListingOfferer, newest first."""
    from .contracts import VISIBLE_STATUSES, ListingOfferer
    from .models import Listing

    qs = Listing.objects.filter(status__in=[str(s) for s in VISIBLE_STATUSES])
    qs = (
        qs.filter(organization_id=organization_id)
        if organization_id
        else qs.filter(owner_id=owner_id, organization__isnull=True)
    )
    return [
        ListingOfferer(
            public_id=str(row.public_id),
            organization_id=row.organization_id,
            owner_id=row.owner_id,
            verified=row.verified,
            status=row.status,
            title=row.title,
            city=row.city,
            neighbourhood=row.neighbourhood,
        )
        for row in qs.order_by("-published_at", "-id").only(
            "public_id", "organization_id", "owner_id", "verified", "status", "title", "city", "neighbourhood"
        )[:limit]
    ]


def managed_listing_add_photo(*, actor, listing_id, data: bytes, caption: str = "") -> str:
    """Add a photo (bytes: checked, resized, EXIF stripped, as an upload) to a live listing
    `actor` manages; the photo's public id. ListingNotFound / InvalidListingState /
    InvalidListing as the page's upload."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .services.listings import add_photo, manageable_listing

    listing = manageable_listing(actor, listing_id)
    photo = add_photo(actor=actor, listing=listing, upload=SimpleUploadedFile("photo", data), caption=caption)
    return str(photo.public_id)


# --- applications: the screening (scoring) attaches its request, reads what it needs ---
def attach_screening(application_id, screening_id) -> bool:
    """Record the screening request opened for an application (the first one stays; a
    second call changes nothing). False for an unknown application."""
    from .services.applications import attach_screening as attach

    return attach(application_id, screening_id)


def application_screening_facts(application_id):
    """ApplicationScreeningFacts of an application (unit, organization, applicant's phone
    and name, rent asked, who published the listing). ApplicationNotFound otherwise."""
    from .services.applications import screening_facts

    return screening_facts(application_id)


def register_screening_reader(reader) -> None:
    """`reader(request_ids: list[UUID]) -> {UUID: (state, label)}`: the screening states the
    applicants' list shows (scoring registers it at start-up)."""
    from .services.applications import register_screening_reader as register

    register(reader)


# --- search: the listings search (anyone's criteria, checked and capped) ---
def search_listings(criteria):
    """Listings online matching `criteria` (a mapping of SearchQuery's field names, as the
    REST parameters): a SearchPage of ListingHit. InvalidSearch (400) on what cannot be meant;
    text, radius and page size are capped."""
    from .services import search

    return search.search(search.clean_query(criteria))


def search_facets(criteria):
    """Facets (counts per kind, city, neighbourhood, rooms, furnished, amenity, price band) of
    the listings online matching `criteria`, each facet counted without its own filter."""
    from .services import search

    return search.facets(search.clean_query(criteria))


def register_sponsored_source(source) -> None:
    """`source(query: SearchQuery, *, request, count: int) -> list[SponsoredCandidate]`:
    listings to show, labelled « Sponsorisé », above a search's first page (ads registers its
    delivery at start-up; the request lets it decide who the viewer is). Market keeps the ones
    online that match the seeker's filters, at most MARKET_SPONSORED_SLOTS."""
    from .services.sponsored import register

    register(source)


# --- visits: a listing's open slots, a booking for the signed-in seeker, their own visits ---
def _visit_info(booking):
    from .contracts import VisitInfo
    from .services.visits import manage_url, place_of

    return VisitInfo(
        public_id=str(booking.public_id),
        listing=str(booking.listing.public_id),
        listing_title=booking.listing.title,
        slot=str(booking.slot.public_id),
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        status=str(booking.status),
        code=booking.code,
        place=place_of(booking),
        manage_url=manage_url(booking),
    )


def listing_visit_slots(listing_id, *, limit: int = 5):
    """The open slots still to come that nobody booked of a listing online (published or
    reserved), soonest first, as VisitSlotInfo. ListingNotFound otherwise."""
    from .contracts import VisitSlotInfo
    from .services.visits import open_slots, place_of, visible_listing

    listing = visible_listing(listing_id)
    return [
        VisitSlotInfo(
            public_id=str(slot.public_id),
            listing=str(listing.public_id),
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            place=place_of(slot),
        )
        for slot in open_slots(listing, limit=max(1, min(int(limit), 50)))
    ]


def book_listing_visit(*, actor, listing_id, slot_id, idempotency_key: str | None = None):
    """Book open slot `slot_id` of listing `listing_id` for the signed-in `actor`, under their
    own name and phone: VisitInfo. Market sends the SMS confirmation (and tells the host).
    The same `idempotency_key` again returns the same booking. Refusals as the booking page:
    ListingNotFound, SlotNotFound (not this listing's, past, withdrawn), SlotTaken,
    InvalidBooking (no name on the account)."""
    from apps.identity import api as identity

    from .services.visits import book, visible_listing

    identity.authenticated(actor)
    listing = visible_listing(listing_id)
    booking = book(
        slot_id=slot_id,
        seeker=actor,
        name=actor.full_name,
        phone=str(actor.phone or ""),
        idempotency_key=idempotency_key,
        listing=listing,
    )
    return _visit_info(booking)


def seeker_visits(actor, *, limit: int = 20):
    """The signed-in seeker's own visits as VisitInfo, the ones to come first (soonest
    first), then the past ones; [] for anyone else."""
    from .services.visits import seeker_visits as visits_of

    return [_visit_info(b) for b in visits_of(actor, limit=limit)]
