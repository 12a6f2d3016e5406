"""GraphQL of market's visits part (fields named market<Thing>): the same services as REST
(services/visits.py). Anyone reads a listing's open slots and books one (rate-limited); the
anonymous seeker reads, cancels or moves their booking by its code; the seeker sees their
own visits, the host the visits and open slots of the listings they manage. Another
organization's visit is null (a query) or `not_found` (a mutation)."""

import graphene
from django.utils.translation import gettext_lazy as _

from apps.core import ratelimit
from apps.core.graphql.mutations import HokweMutation, clamp_first, current_user, or_none
from apps.core.graphql.types import PublicIdField, UTCDateTime
from apps.identity.api import authenticated

from ..errors import BookingNotFound, InvalidBooking, ListingNotFound
from ..services import visits

MAX_WINDOW_DAYS = 62


def _client_key(info) -> str:
    return ratelimit.client_key(info.context)


class MarketVisitSlotType(graphene.ObjectType):
    class Meta:
        name = "MarketVisitSlot"

    id = PublicIdField()
    starts_at = UTCDateTime(required=True)
    ends_at = UTCDateTime(required=True)
    meeting_point = graphene.String(required=True)


class MarketHostSlotType(MarketVisitSlotType):
    class Meta:
        name = "MarketHostSlot"

    status = graphene.String(required=True)
    listing_id = graphene.UUID(required=True)
    listing_title = graphene.String(required=True)

    @staticmethod
    def resolve_listing_id(slot, info):
        return slot.listing.public_id

    @staticmethod
    def resolve_listing_title(slot, info):
        return slot.listing.title


class MarketVisitListingType(graphene.ObjectType):
    class Meta:
        name = "MarketVisitListing"

    id = PublicIdField()
    title = graphene.String(required=True)
    city = graphene.String(required=True)
    neighbourhood = graphene.String(required=True)


class MarketVisitType(graphene.ObjectType):
    class Meta:
        name = "MarketVisit"

    id = PublicIdField()
    status = graphene.String(required=True, description=_("booked, canceled, no_show or done"))
    starts_at = UTCDateTime(required=True)
    ends_at = UTCDateTime(required=True)
    listing = graphene.Field(MarketVisitListingType, required=True)
    slot_id = graphene.UUID(required=True)
    seeker_name = graphene.String(required=True)
    seeker_phone = graphene.String(required=True)
    place = graphene.String(required=True)
    canceled_by = graphene.String(required=True)
    code = graphene.String(description=_("The booking's code: to the seeker only"))

    @staticmethod
    def resolve_slot_id(booking, info):
        return booking.slot.public_id

    @staticmethod
    def resolve_place(booking, info):
        return visits.place_of(booking)

    @staticmethod
    def resolve_code(booking, info):
        return booking.code if getattr(booking, "_show_code", False) else None


def _shown(booking, show_code: bool):
    booking._show_code = show_code
    return booking


def _window(start, end):
    if end <= start or (end - start).days > MAX_WINDOW_DAYS:
        raise InvalidBooking(_("After the start, and at most 62 days later."), field="end")


class VisitsQueries(graphene.ObjectType):
    public_fields = ("market_visit_slots", "market_visit_by_code")

    market_visit_slots = graphene.List(
        graphene.NonNull(MarketVisitSlotType),
        required=True,
        listing_id=graphene.UUID(required=True),
        description=_("A listing's open visit slots still to come (anyone)."),
    )
    market_visit_by_code = graphene.Field(
        MarketVisitType,
        code=graphene.String(required=True),
        description=_("The booking with this code (the code sent by SMS), else null."),
    )
    market_my_visits = graphene.List(
        graphene.NonNull(MarketVisitType),
        required=True,
        first=graphene.Int(default_value=50),
        description=_("Your own visits, the ones to come first."),
    )
    market_visit = graphene.Field(
        MarketVisitType,
        booking_id=graphene.UUID(required=True),
        description=_("One visit: yours as the seeker, or on a listing you manage."),
    )
    market_host_calendar = graphene.List(
        graphene.NonNull(MarketVisitType),
        required=True,
        start=UTCDateTime(required=True),
        end=UTCDateTime(required=True),
        description=_("The visits between start and end (62 days at most) on the listings you manage."),
    )
    market_host_slots = graphene.List(
        graphene.NonNull(MarketHostSlotType),
        required=True,
        start=UTCDateTime(required=True),
        end=UTCDateTime(required=True),
        description=_("The open slots nobody booked yet between start and end on the listings you manage."),
    )

    @staticmethod
    def resolve_market_visit_slots(root, info, listing_id):
        ratelimit.hit("pages.booking", key=_client_key(info))
        try:
            listing = visits.visible_listing(listing_id)
        except ListingNotFound:
            return []
        return visits.open_slots(listing)

    @staticmethod
    @or_none
    def resolve_market_visit_by_code(root, info, code):
        ratelimit.hit("market.code", key=_client_key(info))
        return _shown(visits.booking_by_code(code), True)

    @staticmethod
    def resolve_market_my_visits(root, info, first=50):
        user = authenticated(current_user(info))
        return [_shown(b, True) for b in visits.seeker_visits(user, limit=clamp_first(first))]

    @staticmethod
    @or_none
    def resolve_market_visit(root, info, booking_id):
        user = authenticated(current_user(info))
        booking = visits.booking_for(user, booking_id)
        return _shown(booking, visits.role_of(user, booking) == "seeker")

    @staticmethod
    def resolve_market_host_calendar(root, info, start, end):
        user = authenticated(current_user(info))
        _window(start, end)
        return [_shown(b, False) for b in visits.host_calendar(user, start=start, end=end)]

    @staticmethod
    def resolve_market_host_slots(root, info, start, end):
        user = authenticated(current_user(info))
        _window(start, end)
        return visits.host_slots(user, start=start, end=end)


class MarketPublishVisitSlots(HokweMutation):
    """Publish a visit slot on a listing you manage, or the same slot every week for
    `repeatWeeks` more weeks (15 minutes to 3 hours, in the future, no overlap with your
    other open slots)."""

    class Arguments:
        listing_id = graphene.UUID(required=True)
        starts_at = UTCDateTime(required=True)
        ends_at = UTCDateTime(required=True)
        repeat_weeks = graphene.Int(default_value=0)
        meeting_point = graphene.String(default_value="")

    slots = graphene.List(graphene.NonNull(MarketHostSlotType))

    @classmethod
    def perform(cls, info, user, *, listing_id, starts_at, ends_at, repeat_weeks=0, meeting_point=""):
        listing = visits.managed_listing(user, listing_id)
        created = visits.slots_create(
            actor=user,
            listing=listing,
            starts_at=starts_at,
            ends_at=ends_at,
            repeat_weeks=repeat_weeks,
            meeting_point=meeting_point or "",
        )
        return {"slots": created}


class MarketCancelVisitSlot(HokweMutation):
    """Withdraw one of your open slots; a visit booked on it is canceled and the seeker told."""

    class Arguments:
        slot_id = graphene.UUID(required=True)

    slot = graphene.Field(MarketHostSlotType)

    @classmethod
    def perform(cls, info, user, *, slot_id):
        return {"slot": visits.slot_cancel(actor=user, slot=visits.slot_for_host(user, slot_id))}


class MarketBookVisit(HokweMutation):
    """Book an open slot (anyone: signed in, or with a name and a phone number). The payload's
    visit carries the code; `market_slot_taken` when someone else just booked it; the same
    idempotencyKey again returns the same booking."""

    login_required = False

    class Arguments:
        slot_id = graphene.UUID(required=True)
        name = graphene.String(default_value="")
        phone = graphene.String(default_value="")
        idempotency_key = graphene.String()

    visit = graphene.Field(MarketVisitType)

    @classmethod
    def perform(cls, info, user, *, slot_id, name="", phone="", idempotency_key=None):
        ratelimit.hit("market.book", key=_client_key(info))
        booking = visits.book(
            slot_id=slot_id, seeker=user, name=name or "", phone=phone or "", idempotency_key=idempotency_key
        )
        return {"visit": _shown(booking, True)}


class MarketCancelVisit(HokweMutation):
    """Cancel a booked visit before it starts: yours as the seeker, or one on a listing you
    manage. The other is told by SMS."""

    class Arguments:
        booking_id = graphene.UUID(required=True)

    visit = graphene.Field(MarketVisitType)

    @classmethod
    def perform(cls, info, user, *, booking_id):
        booking = visits.booking_for(user, booking_id)
        role = visits.role_of(user, booking) or "seeker"
        return {"visit": _shown(visits.cancel(booking, by=role, actor=user), role == "seeker")}


class MarketRescheduleVisit(HokweMutation):
    """Move your visit to another open slot of the same listing: the new booking (new code)."""

    class Arguments:
        booking_id = graphene.UUID(required=True)
        slot_id = graphene.UUID(required=True)

    visit = graphene.Field(MarketVisitType)

    @classmethod
    def perform(cls, info, user, *, booking_id, slot_id):
        booking = visits.booking_for(user, booking_id)
        if visits.role_of(user, booking) != "seeker":
            raise BookingNotFound()
        return {"visit": _shown(visits.reschedule(booking, to_slot_id=slot_id), True)}


class MarketMarkVisit(HokweMutation):
    """Mark a visit on a listing you manage `done` or `no_show`, once it has started."""

    class Arguments:
        booking_id = graphene.UUID(required=True)
        status = graphene.String(required=True)

    visit = graphene.Field(MarketVisitType)

    @classmethod
    def perform(cls, info, user, *, booking_id, status):
        booking = visits.booking_for(user, booking_id)
        return {"visit": _shown(visits.mark(booking, status, actor=user), False)}


class MarketCancelVisitByCode(HokweMutation):
    """Cancel the booking with this code (anyone holding the SMS's code), before the visit."""

    login_required = False

    class Arguments:
        code = graphene.String(required=True)

    visit = graphene.Field(MarketVisitType)

    @classmethod
    def perform(cls, info, user, *, code):
        ratelimit.hit("market.code", key=_client_key(info))
        return {"visit": _shown(visits.cancel(visits.booking_by_code(code), by="seeker"), True)}


class MarketRescheduleVisitByCode(HokweMutation):
    """Move the booking with this code to another open slot of the listing (a new code)."""

    login_required = False

    class Arguments:
        code = graphene.String(required=True)
        slot_id = graphene.UUID(required=True)

    visit = graphene.Field(MarketVisitType)

    @classmethod
    def perform(cls, info, user, *, code, slot_id):
        ratelimit.hit("market.code", key=_client_key(info))
        new = visits.reschedule(visits.booking_by_code(code), to_slot_id=slot_id)
        return {"visit": _shown(new, True)}


class VisitsMutations(graphene.ObjectType):
    market_publish_visit_slots = MarketPublishVisitSlots.Field()
    market_cancel_visit_slot = MarketCancelVisitSlot.Field()
    market_book_visit = MarketBookVisit.Field()
    market_cancel_visit = MarketCancelVisit.Field()
    market_reschedule_visit = MarketRescheduleVisit.Field()
    market_mark_visit = MarketMarkVisit.Field()
    market_cancel_visit_by_code = MarketCancelVisitByCode.Field()
    market_reschedule_visit_by_code = MarketRescheduleVisitByCode.Field()


__all__ = ["VisitsMutations", "VisitsQueries"]
