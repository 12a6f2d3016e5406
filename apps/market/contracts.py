"""PUBLIC: frozen dataclasses and enums crossing the boundary (stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class ListingPurpose(StrEnum):
    RENT = "rent"
    SALE = "sale"


class ListingKind(StrEnum):
    # estate's unit kinds (same codes) plus what independent sellers offer
    ENTRER_COUCHER = "entrer_coucher"
    ROOM_LIVING = "chambre_salon"
    STUDIO = "studio"
    APARTMENT = "apartment"
    VILLA = "villa"
    HOUSE = "house"
    SHOP = "shop"
    OFFICE = "office"
    LAND = "land"


class ListingStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    RESERVED = "reserved"
    LET = "let"
    SOLD = "sold"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


LIVE_STATUSES = frozenset(
    {ListingStatus.DRAFT, ListingStatus.IN_REVIEW, ListingStatus.PUBLISHED, ListingStatus.RESERVED}
)
VISIBLE_STATUSES = frozenset({ListingStatus.PUBLISHED, ListingStatus.RESERVED})

AMENITIES = ("water", "own_meter", "parking", "air_conditioning", "security")


class SearchSort(StrEnum):
    RELEVANCE = "relevance"
    PRICE_ASC = "price"
    PRICE_DESC = "-price"
    NEWEST = "newest"
    DISTANCE = "distance"


@dataclass(frozen=True)
class SearchQuery:
    """What a seeker asks (every field optional). Validated and capped by
    `services.search.clean_query` before any backend sees it."""

    text: str = ""
    purpose: str = ""  # ListingPurpose value or ""
    country: str = ""
    city: str = ""
    neighbourhood: str = ""
    kinds: tuple[str, ...] = ()
    price_min: int | None = None
    price_max: int | None = None
    rooms_min: int | None = None
    furnished: bool | None = None
    amenities: tuple[str, ...] = ()  # each in AMENITIES: all required
    available_by: date | None = None
    # proximity: a point and a radius in metres (capped), or the map's bounds
    latitude: float | None = None
    longitude: float | None = None
    radius_m: int | None = None
    bounds: tuple[float, float, float, float] | None = None  # south, west, north, east
    sort: str = SearchSort.RELEVANCE
    after: str = ""  # opaque keyset cursor
    limit: int = 20


@dataclass(frozen=True)
class ListingHit:
    public_id: str
    title: str
    purpose: str
    kind: str
    price: int
    charges: int
    currency: str
    rooms: int
    furnished: bool
    city: str
    neighbourhood: str
    latitude: float | None
    longitude: float | None
    verified: bool
    status: str
    cover: str
    published_at: str
    distance_m: int | None = None


@dataclass(frozen=True)
class SearchPage:
    hits: list[ListingHit]
    next_cursor: str = ""
    # the matches, on a first page when the search knows them without reading the matches
    # again (a single page, or a read that went through every match); else None: the facets
    # count them (Facets.total)
    total: int | None = None


@dataclass(frozen=True)
class Facets:
    """Counts per value over the query's matches (the facet itself left out of its own filter)."""

    kinds: dict[str, int] = field(default_factory=dict)
    cities: dict[str, int] = field(default_factory=dict)
    neighbourhoods: dict[str, int] = field(default_factory=dict)
    rooms: dict[int, int] = field(default_factory=dict)
    furnished: dict[bool, int] = field(default_factory=dict)
    amenities: dict[str, int] = field(default_factory=dict)
    price_bands: dict[str, int] = field(default_factory=dict)
    # the listings matching every criterion (the search's own count: its pages leave it out
    # when it would cost a second read of the matches)
    total: int = 0
    # False: counted over a sixteenth or a quarter of the matches (a systematic sample by id)
    # and scaled, because the matches were many (MARKET_FACETS_EXACT_UP_TO); the pages show «≈»
    exact: bool = True


# --- applications ---
@dataclass(frozen=True)
class ApplicationScreeningFacts:
    """What the screening (scoring) needs to open a request for an application."""

    application_id: str
    listing_title: str
    unit_id: str  # "" when the listing is not a unit under management
    organization_id: int | None  # internal id of the listing's organization
    listing_created_by: int | None  # internal id of the user who published it
    applicant_phone: str
    applicant_name: str
    rent: int
    screening: str  # the screening request already attached, or ""


# --- listings ---
LISTING_KIND_VALUES = tuple(k.value for k in ListingKind)  # the OpenAPI enum MarketListingKindEnum


# --- listings: who offers a listing (ads checks an advertiser promotes its own) ---
@dataclass(frozen=True)
class ListingOfferer:
    public_id: str
    organization_id: int | None  # internal id of the offering organization
    owner_id: int | None  # internal id of the independent owner
    verified: bool
    status: str
    title: str
    city: str
    neighbourhood: str


# --- search: sponsored listings (a module above registers a source: ads) ---
@dataclass(frozen=True)
class SponsoredCandidate:
    """A listing a sponsor source proposes for a search, with its signed beacons: the
    impression URL to load when it is shown, the click URL to follow to open it."""

    listing_id: str
    impression_url: str
    click_url: str


@dataclass(frozen=True)
class SponsoredHit:
    hit: ListingHit
    impression_url: str
    click_url: str


# --- visits (api.listing_visit_slots, book_listing_visit, seeker_visits: the assistant) ---


@dataclass(frozen=True)
class VisitSlotInfo:
    """An open visit slot of a listing, still to come and free."""

    public_id: str
    listing: str
    starts_at: datetime
    ends_at: datetime
    place: str  # the meeting point, else the listing's address


@dataclass(frozen=True)
class VisitInfo:
    """A visit as its seeker sees it."""

    public_id: str
    listing: str
    listing_title: str
    slot: str
    starts_at: datetime
    ends_at: datetime
    status: str  # booked, canceled, done, no_show
    code: str  # the booking's code (to cancel or reschedule)
    place: str
    manage_url: str
