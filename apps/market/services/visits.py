"""Visits and booking (docs/market.md, "Visits and booking").

The agent or owner who manages a listing publishes visit slots (one, or a weekly series); a
seeker books one — signed in, or anonymous with a name and a phone number — and gets a short
code (the anonymous seeker's key to cancel or reschedule), an SMS confirmation, a reminder
and an .ics file; the host gets an SMS too. The host marks a visit done or no-show once it
has started, and sees their calendar of visits.

No double booking, held by the database: one live booking per slot (the partial unique
constraint `market_booking_one_per_slot`, every backend) is the arbiter between two seekers
booking the same slot at once — the loser's INSERT fails inside a savepoint and becomes
SlotTaken. On PostgreSQL no two open slots of one host overlap (the exclusion constraint
`market_slot_host_no_overlap`, migration 0002): its IntegrityError becomes SlotOverlap; the
embedded SQLite profile checks the overlap in Python instead.

Booking states: booked → canceled (seeker or host, before the start) | done | no_show (host,
after the start). Rescheduling cancels the booking and books another open slot of the same
listing in one transaction (`rescheduled_from` links them).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.errors import IdempotencyConflict
from apps.core.outbox import publish
from apps.core.statemachine import StateMachine
from apps.identity import api as identity
from apps.notifications import api as notifications
from apps.notifications.contracts import SendRequest

from .. import messages
from ..contracts import LIVE_STATUSES, VISIBLE_STATUSES
from ..errors import (
    BookingNotFound,
    InvalidBooking,
    InvalidBookingState,
    InvalidSlot,
    ListingNotFound,
    SlotNotFound,
    SlotOverlap,
    SlotTaken,
)
from ..events import VisitBooked
from ..models import Listing, VisitBooking, VisitSlot
from . import listings

MIN_DURATION = timedelta(minutes=15)
MAX_DURATION = timedelta(hours=3)
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed on a phone
CODE_LENGTH = 8
NAME_MAX = 120
REMINDER_BATCH = 500
HOST_ROLES = identity.MANAGE_ROLES  # who publishes slots and sees an organization's visits

Status = VisitBooking.Status


BOOKING_STATES = StateMachine(
    {
        Status.BOOKED: {Status.CANCELED, Status.DONE, Status.NO_SHOW},
        Status.CANCELED: set(),
        Status.DONE: set(),
        Status.NO_SHOW: set(),
    },
    error=InvalidBookingState,
)


# --- who may do what ------------------------------------------------------------------------


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) and actor.is_active else None


def manages_listing(actor, listing: Listing) -> bool:
    """A member of the listing's organization with a manage role, or its independent owner."""
    user = _user(actor)
    if user is None:
        return False
    if listing.organization_id is not None:
        return listing.organization_id in identity.organization_ids_of(user, HOST_ROLES)
    return listing.owner_id == user.pk


def managed_listing(actor, public_id) -> Listing:
    """A live listing the caller manages (listings.manageable_listing), else ListingNotFound."""
    listing = listings.manageable_listing(actor, public_id)
    if listing.status not in LIVE_STATUSES:
        raise ListingNotFound()
    return listing


visible_listing = listings.visible_listing  # published or reserved, else ListingNotFound


def _host_scope(actor) -> Q | None:
    """The bookings/slots a host sees: their organizations' (manage roles), their own
    listings' (independent owner) and the ones they host."""
    user = _user(actor)
    if user is None:
        return None
    orgs = identity.organization_ids_of(user, HOST_ROLES)
    scope = Q(host_id=user.pk) | Q(listing__owner_id=user.pk, listing__organization__isnull=True)
    if orgs:
        scope |= Q(organization_id__in=orgs)
    return scope


def is_host(actor, booking_or_slot) -> bool:
    user = _user(actor)
    if user is None:
        return False
    if booking_or_slot.host_id == user.pk:
        return True
    return manages_listing(user, booking_or_slot.listing)


# --- slots ----------------------------------------------------------------------------------


def _aware(value: datetime, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidSlot(_("A date and time is expected."), field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


@transaction.atomic
def slots_create(
    *,
    actor,
    listing: Listing,
    starts_at: datetime,
    ends_at: datetime,
    repeat_weeks: int = 0,
    meeting_point: str = "",
    now: datetime | None = None,
) -> list[VisitSlot]:
    """Publish one slot, or the same slot every week for `repeat_weeks` more weeks. The
    caller manages the listing; every slot is in the future, lasts 15 min to 3 h, and does
    not overlap another open slot of the caller (SlotOverlap)."""
    if not manages_listing(actor, listing) or listing.status not in LIVE_STATUSES:
        raise ListingNotFound()
    now = now or timezone.now()
    starts_at, ends_at = _aware(starts_at, "starts_at"), _aware(ends_at, "ends_at")
    if starts_at <= now:
        raise InvalidSlot(_("A visit slot must start in the future."), field="starts_at")
    duration = ends_at - starts_at
    if duration < MIN_DURATION or duration > MAX_DURATION:
        raise InvalidSlot(_("A visit slot lasts between 15 minutes and 3 hours."), field="ends_at")
    max_weeks = settings.MARKET_VISIT_MAX_REPEAT_WEEKS
    if (
        isinstance(repeat_weeks, bool)
        or not isinstance(repeat_weeks, int)
        or not 0 <= repeat_weeks <= max_weeks
    ):
        raise InvalidSlot(
            _("Repeat a slot for 0 to %(max)d weeks.") % {"max": max_weeks}, field="repeat_weeks"
        )
    meeting_point = (meeting_point or "").strip()
    if len(meeting_point) > 200:
        raise InvalidSlot(_("The meeting point is too long (200 characters at most)."), field="meeting_point")
    slots = [
        VisitSlot(
            listing=listing,
            organization_id=listing.organization_id,
            host=actor,
            starts_at=starts_at + timedelta(weeks=week),
            ends_at=ends_at + timedelta(weeks=week),
            meeting_point=meeting_point,
        )
        for week in range(repeat_weeks + 1)
    ]
    if connection.vendor != "postgresql":  # PostgreSQL: the exclusion constraint decides
        for slot in slots:
            if VisitSlot.objects.filter(
                host=actor,
                status=VisitSlot.Status.OPEN,
                starts_at__lt=slot.ends_at,
                ends_at__gt=slot.starts_at,
            ).exists():
                raise SlotOverlap(field="starts_at")
    try:
        with transaction.atomic():  # a savepoint: the refusal leaves the caller's transaction usable
            if connection.vendor == "postgresql":
                # one host's slots are published one transaction at a time: two overlapping
                # inserts at once would each wait on the other's exclusion check (a deadlock,
                # not a refusal); in turn, the second one gets the constraint's refusal
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_advisory_xact_lock(hashtextextended('market.slots.host:' || %s, 0))",
                        [actor.pk],
                    )
            VisitSlot.objects.bulk_create(slots)
    except IntegrityError as exc:
        if "market_slot_host_no_overlap" in str(exc) or "exclusion" in str(exc).lower():
            raise SlotOverlap(field="starts_at") from None
        raise
    return slots


def slot_for_host(actor, slot_id) -> VisitSlot:
    """One slot the caller hosts (or whose listing they manage), else SlotNotFound."""
    scope = _host_scope(actor)
    slot = None
    if scope is not None:
        try:
            slot = (
                VisitSlot.objects.select_related("listing")
                .filter(scope, public_id=uuid.UUID(str(slot_id)))
                .first()
            )
        except (TypeError, ValueError, AttributeError):
            slot = None
    if slot is None:
        raise SlotNotFound()
    return slot


@transaction.atomic
def slot_cancel(*, actor, slot: VisitSlot) -> VisitSlot:
    """The host withdraws a slot: its booking, if any, is canceled and the seeker told."""
    if not is_host(actor, slot):
        raise SlotNotFound()
    slot = VisitSlot.objects.select_for_update().select_related("listing").get(pk=slot.pk)
    if slot.status != VisitSlot.Status.OPEN:
        return slot
    slot.status = VisitSlot.Status.CANCELED
    slot.save(update_fields=["status", "updated_at"])
    for booking in VisitBooking.objects.select_for_update().filter(slot=slot, status=Status.BOOKED):
        _cancel(booking, by="host")
    return slot


def open_slots(listing: Listing, *, now: datetime | None = None, limit: int = 200) -> list[VisitSlot]:
    """The listing's open slots still to come that nobody has booked, soonest first."""
    now = now or timezone.now()
    booked = VisitBooking.objects.filter(status=Status.BOOKED).values("slot_id")
    return list(
        VisitSlot.objects.filter(listing=listing, status=VisitSlot.Status.OPEN, starts_at__gt=now)
        .exclude(pk__in=booked)
        .order_by("starts_at", "id")[:limit]
    )


def host_slots(actor, *, start: datetime, end: datetime, limit: int = 500) -> list[VisitSlot]:
    """The open slots nobody booked between start and end of the listings the caller hosts
    or manages."""
    scope = _host_scope(actor)
    if scope is None:
        return []
    booked = VisitBooking.objects.filter(status=Status.BOOKED).values("slot_id")
    return list(
        VisitSlot.objects.filter(scope, status=VisitSlot.Status.OPEN, starts_at__gte=start, starts_at__lt=end)
        .exclude(pk__in=booked)
        .select_related("listing")
        .order_by("starts_at", "id")[:limit]
    )


# --- booking --------------------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(code) -> str:
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())[: CODE_LENGTH + 4]


def _clean_name(name) -> str:
    name = " ".join(str(name or "").split())
    if len(name) < 2:
        raise InvalidBooking(_("Give your name."), field="name")
    if len(name) > NAME_MAX:
        raise InvalidBooking(_("The name is too long (120 characters at most)."), field="name")
    return name


def _slot_key(slot_id):
    try:
        return uuid.UUID(str(slot_id))
    except (TypeError, ValueError, AttributeError):
        raise SlotNotFound(field="slot") from None


def _lock_slot_shared(slot: VisitSlot) -> str:
    """Read the slot's status under a FOR SHARE lock (PostgreSQL): bookings of one slot do
    not wait for each other (the unique constraint decides between them) but a host
    canceling the slot waits for them, and they for it."""
    if connection.vendor != "postgresql":
        return VisitSlot.objects.filter(pk=slot.pk).values_list("status", flat=True).get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT status FROM market_visitslot WHERE id = %s FOR SHARE", [slot.pk])
        return cursor.fetchone()[0]


@transaction.atomic
def book(
    *,
    slot_id,
    seeker=None,
    name: str,
    phone: str,
    idempotency_key: str | None = None,
    listing: Listing | None = None,
    now: datetime | None = None,
) -> VisitBooking:
    """Book an open slot still to come of a listing anyone may see. Two seekers at once on
    one slot: one wins, the other gets SlotTaken. The same `idempotency_key` again returns
    the same booking (a retry after a lost answer). `listing`: the slot must be one of its."""
    seeker = _user(seeker)
    name = _clean_name(name or (seeker.full_name if seeker else ""))
    phone = identity.normalize_phone(phone or (getattr(seeker, "phone", "") if seeker else ""), field="phone")
    key = (idempotency_key or "").strip()[:120] or None
    slot_key = _slot_key(slot_id)
    if key:
        existing = _replay(key, slot_key, phone)
        if existing is not None:
            return existing
    now = now or timezone.now()
    slot = (
        VisitSlot.objects.select_related("listing", "listing__organization")
        .filter(public_id=slot_key)
        .first()
    )
    if slot is None or (listing is not None and slot.listing_id != listing.pk):
        raise SlotNotFound(field="slot")
    if slot.listing.status not in VISIBLE_STATUSES:
        raise ListingNotFound()
    if _lock_slot_shared(slot) != VisitSlot.Status.OPEN or slot.starts_at <= now:
        raise SlotNotFound(field="slot")
    if VisitBooking.objects.filter(slot=slot, status=Status.BOOKED).exists():
        existing = _replay(key, slot_key, phone) if key else None  # a concurrent retry's
        if existing is not None:
            return existing
        raise SlotTaken(field="slot")
    booking = _insert(slot, seeker=seeker, name=name, phone=phone, key=key, rescheduled_from=None)
    if booking is None:  # a concurrent retry with the same key won
        existing = _replay(key, slot_key, phone)
        if existing is not None:
            return existing
        raise SlotTaken(field="slot")
    _notify_booked(booking)
    return booking


def _replay(key: str, slot_key, phone: str) -> VisitBooking | None:
    existing = VisitBooking.objects.select_related("slot", "listing").filter(idempotency_key=key).first()
    if existing is None:
        return None
    if existing.slot.public_id != slot_key or existing.seeker_phone != phone:
        raise IdempotencyConflict()
    return existing


def _insert(slot, *, seeker, name, phone, key, rescheduled_from) -> VisitBooking | None:
    """INSERT in a savepoint; SlotTaken when another booking holds the slot (the partial
    unique constraint); None, with an idempotency key, when the slot or the key is taken (the
    caller returns a concurrent retry's booking, else SlotTaken)."""
    for _attempt in range(3):
        booking = VisitBooking(
            slot=slot,
            listing=slot.listing,
            organization_id=slot.organization_id,
            host_id=slot.host_id,
            seeker=seeker,
            seeker_name=name,
            seeker_phone=phone,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            code=_new_code(),
            idempotency_key=key,
            rescheduled_from=rescheduled_from,
        )
        try:
            with transaction.atomic():
                booking.save(force_insert=True)
                if rescheduled_from is None:
                    publish(
                        VisitBooked(
                            booking_id=str(booking.public_id),
                            listing_id=str(slot.listing.public_id),
                            organization_id=str(slot.listing.organization.public_id)
                            if slot.listing.organization_id
                            else "",
                            seeker_id=str(seeker.public_id) if seeker else "",
                        )
                    )
            return booking
        except IntegrityError as exc:
            text = str(exc)
            taken = "one_per_slot" in text or "slot_id" in text
            if key and (taken or "idempotency_key" in text):
                return None  # the caller looks for a concurrent retry with the same key first
            if taken:
                raise SlotTaken(field="slot") from None
            if "code" not in text:
                raise
            # a code already taken (1 in ~10^11): draw another
    raise SlotTaken(field="slot")


def booking_by_code(code) -> VisitBooking:
    """The booking with this code (the anonymous seeker's key), else BookingNotFound."""
    code = clean_code(code)
    booking = None
    if len(code) == CODE_LENGTH:
        booking = (
            VisitBooking.objects.select_related("slot", "listing", "rescheduled_to").filter(code=code).first()
        )
    if booking is None:
        raise BookingNotFound()
    return booking


def booking_for(actor, booking_id) -> VisitBooking:
    """One booking the caller may see: theirs as the seeker, or one they host. Else 404."""
    user = _user(actor)
    if user is None:
        raise BookingNotFound()
    try:
        key = uuid.UUID(str(booking_id))
    except (TypeError, ValueError, AttributeError):
        raise BookingNotFound() from None
    scope = Q(seeker_id=user.pk)
    host = _host_scope(user)
    if host is not None:
        scope |= host
    booking = VisitBooking.objects.select_related("slot", "listing").filter(scope, public_id=key).first()
    if booking is None:
        raise BookingNotFound()
    return booking


def role_of(actor, booking: VisitBooking) -> str:
    """ "host", "seeker" or "" (neither)."""
    if is_host(actor, booking):
        return "host"
    user = _user(actor)
    if user is not None and booking.seeker_id == user.pk:
        return "seeker"
    return ""


@transaction.atomic
def cancel(booking: VisitBooking, *, by: str, actor=None, now: datetime | None = None) -> VisitBooking:
    """Cancel a booked visit before it starts. `by` is "seeker" (the transport checked the
    code or that the booking is the caller's) or "host" (`actor` must host it). The other
    party is told by SMS; the slot opens again for someone else."""
    if by not in ("seeker", "host"):
        raise InvalidBooking(field="by")
    if by == "host" and not is_host(actor, booking):
        raise BookingNotFound()
    booking = VisitBooking.objects.select_for_update().select_related("listing", "slot").get(pk=booking.pk)
    now = now or timezone.now()
    BOOKING_STATES.check(booking.status, Status.CANCELED)
    if booking.starts_at <= now and by == "seeker":
        raise InvalidBookingState(_("This visit has already started: it can no longer be canceled."))
    _cancel(booking, by=by)
    return booking


def _cancel(booking: VisitBooking, *, by: str, notify: bool = True) -> None:
    booking.status = Status.CANCELED
    booking.canceled_by = by
    booking.save(update_fields=["status", "canceled_by", "updated_at"])
    if notify:
        _notify_canceled(booking, by=by)


@transaction.atomic
def reschedule(booking: VisitBooking, *, to_slot_id, now: datetime | None = None, actor=None) -> VisitBooking:
    """Move a booked visit to another open slot of the same listing, at once: a new booking
    (new code, `rescheduled_from` the old one) and the old one canceled. SlotTaken leaves
    the old booking as it was."""
    booking = VisitBooking.objects.select_for_update().select_related("listing", "slot").get(pk=booking.pk)
    now = now or timezone.now()
    if booking.status != Status.BOOKED:
        raise InvalidBookingState()
    if booking.starts_at <= now:
        raise InvalidBookingState(_("This visit has already started: it can no longer be moved."))
    slot_key = _slot_key(to_slot_id)
    slot = (
        VisitSlot.objects.select_related("listing")
        .filter(public_id=slot_key, listing=booking.listing)
        .first()
    )
    if slot is None or slot.pk == booking.slot_id:
        raise SlotNotFound(field="slot")
    if booking.listing.status not in VISIBLE_STATUSES:
        raise ListingNotFound()
    if _lock_slot_shared(slot) != VisitSlot.Status.OPEN or slot.starts_at <= now:
        raise SlotNotFound(field="slot")
    if VisitBooking.objects.filter(slot=slot, status=Status.BOOKED).exists():
        raise SlotTaken(field="slot")
    _cancel(booking, by="seeker", notify=False)
    new = _insert(
        slot,
        seeker=booking.seeker,
        name=booking.seeker_name,
        phone=booking.seeker_phone,
        key=None,
        rescheduled_from=booking,
    )
    _notify_rescheduled(new, old=booking)
    return new


@transaction.atomic
def mark(booking: VisitBooking, status: str, *, actor, now: datetime | None = None) -> VisitBooking:
    """The host marks a visit done or no-show, once it has started."""
    if status not in (Status.DONE, Status.NO_SHOW):
        raise InvalidBooking(_("A visit is marked done or no-show."), field="status")
    if not is_host(actor, booking):
        raise BookingNotFound()
    booking = VisitBooking.objects.select_for_update().get(pk=booking.pk)
    now = now or timezone.now()
    BOOKING_STATES.check(booking.status, status)
    if booking.starts_at > now:
        raise InvalidBookingState(_("A visit can be marked only once it has started."))
    booking.status = status
    booking.save(update_fields=["status", "updated_at"])
    return booking


# --- reads ----------------------------------------------------------------------------------


def host_calendar(actor, *, start: datetime, end: datetime, limit: int = 500) -> list[VisitBooking]:
    """The visits between start and end of the caller's organizations (manage roles), own
    listings and hosted slots, every status, soonest first."""
    scope = _host_scope(actor)
    if scope is None:
        return []
    return list(
        VisitBooking.objects.filter(scope, starts_at__gte=start, starts_at__lt=end)
        .select_related("listing", "slot")
        .order_by("starts_at", "id")[:limit]
    )


def seeker_visits(user, *, limit: int = 100) -> list[VisitBooking]:
    """The signed-in seeker's own visits, the ones to come first, then the past ones."""
    user = _user(user)
    if user is None:
        return []
    rows = list(
        VisitBooking.objects.filter(seeker_id=user.pk)
        .select_related("listing", "slot")
        .order_by("-starts_at", "-id")[:limit]
    )
    now = timezone.now()
    coming = sorted((b for b in rows if b.starts_at >= now), key=lambda b: (b.starts_at, b.pk))
    return coming + [b for b in rows if b.starts_at < now]


def place_of(booking_or_slot) -> str:
    """Where to meet: the slot's meeting point, else the listing's address."""
    slot = booking_or_slot if isinstance(booking_or_slot, VisitSlot) else booking_or_slot.slot
    if slot.meeting_point:
        return slot.meeting_point
    listing = booking_or_slot.listing
    parts: list[str] = []
    for part in (listing.address, listing.neighbourhood, listing.city):
        if part and not any(part.lower() in seen.lower() for seen in parts):
            parts.append(part)
    return ", ".join(parts)


# --- .ics (RFC 5545) ------------------------------------------------------------------------


def _ics_text(value: str) -> str:
    """TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    value = str(value or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _ics_fold(line: str) -> str:
    """Lines of at most 75 octets (RFC 5545 3.1), continued with CRLF + one space; never in
    the middle of a UTF-8 character."""
    out, current, size = [], [], 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        limit = 75 if not out else 74  # a continuation line starts with the space
        if size + width > limit:
            out.append("".join(current))
            current, size = [], 0
        current.append(ch)
        size += width
    out.append("".join(current))
    return "\r\n ".join(out)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics(booking: VisitBooking, *, now: datetime | None = None) -> str:
    """The visit as an iCalendar file (one VEVENT, times in UTC), for « Add to calendar »."""
    now = now or timezone.now()
    listing = booking.listing
    canceled = booking.status == Status.CANCELED
    summary = _("Visit: %(title)s") % {"title": listing.title}
    description = _("Booking code %(code)s. Manage it: %(url)s") % {
        "code": booking.code,
        "url": manage_url(booking),
    }
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Hokwe//Market visits//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{booking.public_id}@hokwe.com",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(booking.starts_at)}",
        f"DTEND:{_utc(booking.ends_at)}",
        f"SUMMARY:{_ics_text(summary)}",
        f"LOCATION:{_ics_text(place_of(booking))}",
        f"DESCRIPTION:{_ics_text(description)}",
        f"STATUS:{'CANCELLED' if canceled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    if listing.latitude is not None and listing.longitude is not None:
        lines.insert(-2, f"GEO:{listing.latitude:.6f};{listing.longitude:.6f}")
    return "".join(_ics_fold(line) + "\r\n" for line in lines)


# --- messages -------------------------------------------------------------------------------


def manage_url(booking: VisitBooking) -> str:
    base = settings.MARKET_BOOKING_BASE_URL.rstrip("/")
    return base + reverse("market:booking-manage", args=[booking.code])


def _iso(value: datetime) -> str:
    return value.isoformat()


def _org(booking) -> str | None:
    org = getattr(booking.listing, "organization", None) if booking.listing.organization_id else None
    return str(org.public_id) if org is not None else None


def _seeker_recipient(booking) -> str:
    return booking.seeker_phone


def _host_recipient(booking) -> str:
    return str(identity.get_user(id=booking.host_id).public_id)


def _send(recipient, key, context, *, booking, suffix) -> None:
    notifications.send(
        recipient,
        key,
        context,
        idempotency_key=f"market:visit:{booking.public_id}:{suffix}",
        organization=_org(booking),
    )


def _notify_booked(booking: VisitBooking) -> None:
    title = booking.listing.title[:80]
    _send(
        _seeker_recipient(booking),
        messages.MARKET_VISIT_BOOKED,
        {
            "listing": title,
            "starts_at": _iso(booking.starts_at),
            "code": booking.code,
            "manage_url": manage_url(booking),
        },
        booking=booking,
        suffix="booked",
    )
    _send(
        _host_recipient(booking),
        messages.MARKET_VISIT_BOOKED_HOST,
        {
            "listing": title,
            "starts_at": _iso(booking.starts_at),
            "seeker_name": booking.seeker_name,
            "seeker_phone": booking.seeker_phone,
        },
        booking=booking,
        suffix="booked-host",
    )


def _notify_canceled(booking: VisitBooking, *, by: str) -> None:
    title = booking.listing.title[:80]
    if by == "host":
        _send(
            _seeker_recipient(booking),
            messages.MARKET_VISIT_CANCELED,
            {"listing": title, "starts_at": _iso(booking.starts_at), "code": booking.code},
            booking=booking,
            suffix="canceled",
        )
    else:
        _send(
            _host_recipient(booking),
            messages.MARKET_VISIT_CANCELED_HOST,
            {"listing": title, "starts_at": _iso(booking.starts_at), "seeker_name": booking.seeker_name},
            booking=booking,
            suffix="canceled-host",
        )


def _notify_rescheduled(new: VisitBooking, *, old: VisitBooking) -> None:
    title = new.listing.title[:80]
    _send(
        _seeker_recipient(new),
        messages.MARKET_VISIT_RESCHEDULED,
        {"listing": title, "starts_at": _iso(new.starts_at), "code": new.code, "manage_url": manage_url(new)},
        booking=new,
        suffix="rescheduled",
    )
    _send(
        _host_recipient(new),
        messages.MARKET_VISIT_RESCHEDULED_HOST,
        {
            "listing": title,
            "starts_at": _iso(new.starts_at),
            "old_starts_at": _iso(old.starts_at),
            "seeker_name": new.seeker_name,
        },
        booking=new,
        suffix="rescheduled-host",
    )


# --- reminders ------------------------------------------------------------------------------


def reminders_run(*, now: datetime | None = None) -> int:
    """Send each booked visit's reminder, once (`reminder_sent_at`), in batches: the day
    before when it was booked earlier, else about 2 h before (a visit booked less than 2 h
    ahead has only its confirmation). Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                _due_bookings(now)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("listing", "listing__organization", "slot")
                .order_by("starts_at", "id")[:REMINDER_BATCH]
            )
            if not batch:
                return sent
            notifications.send_many(
                SendRequest(
                    recipient=_seeker_recipient(b),
                    template_key=messages.MARKET_VISIT_REMINDER,
                    context={
                        "listing": b.listing.title[:80],
                        "starts_at": _iso(b.starts_at),
                        "place": place_of(b)[:200] or b.listing.city,
                        "code": b.code,
                        "manage_url": manage_url(b),
                    },
                    idempotency_key=f"market:visit:{b.public_id}:reminder",
                    organization=_org(b),
                )
                for b in batch
            )
            VisitBooking.objects.filter(pk__in=[b.pk for b in batch]).update(reminder_sent_at=now)
            sent += len(batch)
        if len(batch) < REMINDER_BATCH:
            return sent


def _due_bookings(now: datetime):
    day = timedelta(hours=settings.MARKET_VISIT_REMINDER_DAY_HOURS)
    short = timedelta(hours=settings.MARKET_VISIT_REMINDER_SHORT_HOURS)
    return VisitBooking.objects.filter(
        status=Status.BOOKED, reminder_sent_at__isnull=True, starts_at__gt=now
    ).filter(
        # the day before: booked at least a day ahead, now within the day before
        (Q(starts_at__lte=now + day) & Q(created_at__lte=F("starts_at") - day))
        # about 2 h before: booked later, but at least ~2 h ahead
        | (Q(starts_at__lte=now + short) & Q(created_at__lte=F("starts_at") - short))
    )


def managed_listings(actor, *, limit: int = 200) -> list[Listing]:
    """The live listings the caller may publish slots on (their organizations' with a manage
    role, their own as an independent owner), by title."""
    user = _user(actor)
    if user is None:
        return []
    orgs = identity.organization_ids_of(user, HOST_ROLES)
    scope = Q(owner_id=user.pk, organization__isnull=True)
    if orgs:
        scope |= Q(organization_id__in=orgs)
    return list(Listing.objects.filter(scope, status__in=LIVE_STATUSES).order_by("title", "id")[:limit])


def seeker_bookings(user):
    """The signed-in seeker's own bookings as a queryset (REST pages them), else none."""
    user = _user(user)
    if user is None:
        return VisitBooking.objects.none()
    return VisitBooking.objects.filter(seeker_id=user.pk).select_related("listing", "slot")
