"""PUBLIC: the domain events market publishes (apps.core.events.DomainEvent subclasses,
`name = "market.EventName"`, JSON-valued fields only). Each part appends its own."""

from __future__ import annotations

from dataclasses import dataclass

from apps.core.events import DomainEvent


@dataclass(frozen=True)
class ListingPublished(DomainEvent):
    name = "market.ListingPublished"

    listing_id: str
    organization_id: str  # "" for an independent owner
    unit_id: str  # "" when not a managed unit
    purpose: str
    city: str


@dataclass(frozen=True)
class ListingClosed(DomainEvent):
    name = "market.ListingClosed"

    listing_id: str
    organization_id: str
    unit_id: str
    status: str  # let, sold, withdrawn, expired


@dataclass(frozen=True)
class ApplicationSubmitted(DomainEvent):
    """A seeker applied to a listing: the screening (scoring) starts a request for it."""

    name = "market.ApplicationSubmitted"

    application_id: str
    listing_id: str
    organization_id: str
    unit_id: str
    applicant_id: str


# --- visits ---
@dataclass(frozen=True)
class VisitBooked(DomainEvent):
    """A seeker booked a visit of a listing (a rescheduled visit is not a new booking): ads
    counts it as a conversion of the seeker's last click on that listing."""

    name = "market.VisitBooked"

    booking_id: str
    listing_id: str
    organization_id: str  # "" for an independent owner's listing
    seeker_id: str  # "" for an anonymous seeker
