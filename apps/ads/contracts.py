"""PUBLIC: frozen dataclasses and enums crossing the boundary (stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Pricing(StrEnum):
    CPM = "cpm"  # the bid is the price of 1,000 counted impressions
    CPC = "cpc"  # the bid is the price of one counted click
    FLAT = "flat"  # the bid is a flat fee for a featured slot over the campaign's dates


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    EXHAUSTED = "exhausted"  # its total budget (or the advertiser's balance) is spent
    ENDED = "ended"
    ARCHIVED = "archived"


class CreativeKind(StrEnum):
    LISTING = "listing"  # a promoted listing: a real, verified market listing
    BANNER = "banner"  # an image banner
    TEXT = "text"  # a text ad


class CreativeStatus(StrEnum):
    PENDING = "pending"  # waiting for staff after the rules passed
    APPROVED = "approved"
    REJECTED = "rejected"


class Placement(StrEnum):
    """The zones ads are delivered to."""

    MARKET_SEARCH = "market.search"  # featured slots in market search results (listings only)
    APP_HOME = "app.home"  # a banner in the apps' home
    APP_LISTING = "app.listing"  # a banner under a listing in the apps
    SITE_BANNER = "site.banner"  # a banner on the public sites
    NEWS_EMAIL = "news.email"  # a slot in the news e-mail


class Audience(StrEnum):
    SEEKERS = "seekers"
    TENANTS = "tenants"
    LANDLORDS = "landlords"


# which creative kinds each placement shows
PLACEMENT_KINDS = {
    Placement.MARKET_SEARCH: frozenset({CreativeKind.LISTING}),
    Placement.APP_HOME: frozenset({CreativeKind.BANNER, CreativeKind.TEXT, CreativeKind.LISTING}),
    Placement.APP_LISTING: frozenset({CreativeKind.BANNER, CreativeKind.TEXT}),
    Placement.SITE_BANNER: frozenset({CreativeKind.BANNER, CreativeKind.TEXT}),
    Placement.NEWS_EMAIL: frozenset({CreativeKind.BANNER, CreativeKind.TEXT, CreativeKind.LISTING}),
}


@dataclass(frozen=True)
class AdContext:
    """Who looks and where: what delivery targets on (every field optional)."""

    placement: str
    viewer: str = ""  # a stable viewer key (user or device), hashed before use
    city: str = ""
    neighbourhood: str = ""
    audience: str = ""
    language: str = ""
    exclude_listings: tuple[str, ...] = ()  # listings already on the page


@dataclass(frozen=True)
class DeliveredAd:
    """One ad chosen for a placement, with its signed beacons."""

    campaign_id: str
    creative_id: str
    kind: str
    placement: str
    listing_id: str  # the promoted listing (kind listing), else ""
    headline: str
    body: str
    image_url: str
    link_url: str
    impression_url: str  # GET it when the ad is seen (signed, single use)
    click_url: str  # the link through the click beacon (signed), redirecting to link_url
    label: str  # « Sponsorisé »
    extra: dict = field(default_factory=dict)
