"""Visits and booking, the services (docs/market.md, "Visits and booking"): slots (one or a
weekly series, in the future, 15 min – 3 h, no overlap of one host's open slots — the
PostgreSQL exclusion constraint), booking (anonymous or signed in, a short code, SlotTaken,
idempotent retries), cancel, reschedule, no-show/done, the host's calendar and the seeker's
visits (scoped), the reminders (once) and the .ics file."""

from __future__ import annotations

import re
from datetime import UTC, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.core.errors import DomainError, IdempotencyConflict
from apps.market.errors import (
    BookingNotFound,
    InvalidBooking,
    InvalidBookingState,
    InvalidSlot,
    ListingNotFound,
    SlotNotFound,
    SlotOverlap,
    SlotTaken,
)
from apps.market.models import VisitBooking, VisitSlot
from apps.market.services import visits
from apps.notifications.models import Message
from tests.fixtures.market import visits_slot, visits_world
from tests.identity.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return visits_world()


def _start(hours=48):
    return timezone.now().replace(microsecond=0) + timedelta(hours=hours)


def _book(slot, **kwargs):
    values = {"slot_id": slot.public_id, "name": "Awa Dossou", "phone": "01 97 00 00 11"}
    values.update(kwargs)
    return visits.book(**values)


# --- slots ----------------------------------------------------------------------------------


def test_a_weekly_series_of_slots(world):
    start = _start()
    slots = visits.slots_create(
        actor=world.host,
        listing=world.listing,
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        repeat_weeks=3,
        meeting_point="Devant la pharmacie",
    )
    assert [s.starts_at for s in slots] == [start + timedelta(weeks=w) for w in range(4)]
    assert all(s.host_id == world.host.pk and s.organization_id == world.agency.pk for s in slots)
    assert [s.pk for s in visits.open_slots(world.listing)] == [s.pk for s in slots]


@pytest.mark.parametrize(
    ("offset", "minutes", "weeks", "field"),
    [
        (-1, 30, 0, "starts_at"),  # in the past
        (48, 10, 0, "ends_at"),  # shorter than 15 min
        (48, 181, 0, "ends_at"),  # longer than 3 h
        (48, 30, 13, "repeat_weeks"),
        (48, 30, -1, "repeat_weeks"),
    ],
)
def test_bad_slots_are_refused_with_a_field(world, offset, minutes, weeks, field):
    start = _start(offset)
    with pytest.raises(InvalidSlot) as refused:
        visits.slots_create(
            actor=world.host,
            listing=world.listing,
            starts_at=start,
            ends_at=start + timedelta(minutes=minutes),
            repeat_weeks=weeks,
        )
    assert refused.value.field == field
    assert not VisitSlot.objects.exists()


def test_only_who_manages_the_listing_publishes_slots(world):
    start = _start()
    collector = MembershipFactory(organization=world.agency, role="collector").user
    for actor in (UserFactory(), collector, MembershipFactory(role="owner").user):
        with pytest.raises(ListingNotFound):
            visits.slots_create(
                actor=actor, listing=world.listing, starts_at=start, ends_at=start + timedelta(minutes=30)
            )


def test_overlapping_slots_of_one_host_are_refused_by_the_database(world):
    """On PostgreSQL the exclusion constraint decides (no check in Python): its
    IntegrityError becomes SlotOverlap, and the caller's transaction stays usable."""
    start = _start()
    visits_slot(world, hours=48, minutes=60)
    other = visits_world(org_name="Autre agence", title="Villa")
    with transaction.atomic():
        with pytest.raises(SlotOverlap) as refused:
            visits.slots_create(
                actor=world.host,
                listing=world.listing,
                starts_at=start + timedelta(minutes=30),
                ends_at=start + timedelta(minutes=90),
            )
        assert refused.value.status == 409
        assert VisitSlot.objects.count() == 1  # still usable after the refusal
    # back to back is fine, and another host may use the same time
    visits.slots_create(
        actor=world.host,
        listing=world.listing,
        starts_at=start + timedelta(minutes=60),
        ends_at=start + timedelta(minutes=90),
    )
    visits_slot(other, hours=48, minutes=60)
    # a canceled slot frees its time
    first = VisitSlot.objects.filter(host=world.host).order_by("starts_at").first()
    visits.slot_cancel(actor=world.host, slot=first)
    visits.slots_create(
        actor=world.host, listing=world.listing, starts_at=start, ends_at=start + timedelta(minutes=30)
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_the_exclusion_constraint_itself(world):
    slot = visits_slot(world, minutes=60)
    with pytest.raises(IntegrityError, match="market_slot_host_no_overlap"), transaction.atomic():
        VisitSlot.objects.create(
            listing=world.listing,
            host=world.host,
            starts_at=slot.starts_at + timedelta(minutes=10),
            ends_at=slot.ends_at,
        )


# --- booking --------------------------------------------------------------------------------


def test_an_anonymous_seeker_books_and_both_get_an_sms(world):
    slot = visits_slot(world)
    booking = _book(slot)
    assert booking.status == "booked"
    assert booking.seeker is None
    assert booking.seeker_phone == "+2290197000011"  # normalized
    assert re.fullmatch(r"[A-Z2-9]{8}", booking.code)
    assert booking.host_id == world.host.pk and booking.organization_id == world.agency.pk
    assert booking.starts_at == slot.starts_at
    seeker_sms = Message.objects.get(template_key="market.visit_booked", channel="sms")
    assert seeker_sms.address == "+2290197000011"
    assert booking.code in seeker_sms.body
    assert f"/booking/v/{booking.code}/" in seeker_sms.body
    host_sms = Message.objects.get(template_key="market.visit_booked_host", channel="sms")
    assert host_sms.user_id == world.host.pk
    assert "Awa Dossou" in host_sms.body
    assert visits.open_slots(world.listing) == []  # booked: no longer offered
    assert visits.booking_by_code(booking.code.lower()) == booking


def test_a_signed_in_seeker_books_with_their_name_and_phone(world):
    seeker = UserFactory(full_name="Brice Zinsou")
    booking = visits.book(slot_id=visits_slot(world).public_id, seeker=seeker, name="", phone="")
    assert booking.seeker == seeker
    assert booking.seeker_name == "Brice Zinsou"
    assert booking.seeker_phone == seeker.phone
    assert visits.seeker_visits(seeker) == [booking]
    assert visits.seeker_visits(UserFactory()) == []


def test_the_second_seeker_of_a_slot_gets_slot_taken(world):
    slot = visits_slot(world)
    _book(slot)
    with pytest.raises(SlotTaken) as refused:
        _book(slot, name="Koffi", phone="0197000012")
    assert str(refused.value.message).startswith("Ce créneau vient d'être réservé")
    assert refused.value.status == 409
    assert VisitBooking.objects.count() == 1


def test_the_partial_unique_constraint_is_the_arbiter(world):
    slot = visits_slot(world)
    first = _book(slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitBooking.objects.create(
            slot=slot,
            listing=world.listing,
            host=world.host,
            seeker_name="X",
            seeker_phone="+2290197000013",
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            code="ZZZZZZZZ",
        )
    visits.cancel(first, by="seeker")
    assert _book(slot, phone="0197000014").status == "booked"  # the slot is open again


def test_an_idempotent_retry_returns_the_same_booking(world):
    slot = visits_slot(world)
    first = _book(slot, idempotency_key="retry-1")
    again = _book(slot, idempotency_key="retry-1")
    assert again.pk == first.pk
    assert VisitBooking.objects.count() == 1
    assert Message.objects.filter(template_key="market.visit_booked").count() == 1
    with pytest.raises(IdempotencyConflict):
        _book(visits_slot(world, hours=72), idempotency_key="retry-1")


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"name": " "}, InvalidBooking, "name"),
        ({"name": "x" * 121}, InvalidBooking, "name"),
        ({"phone": "12"}, DomainError, "phone"),
        ({"phone": "'; DROP TABLE market_visitbooking; --"}, DomainError, "phone"),
        ({"slot_id": "not-a-uuid"}, SlotNotFound, "slot"),
    ],
)
def test_bad_booking_input_is_a_field_error(world, kwargs, error, field):
    slot = visits_slot(world)
    with pytest.raises(error) as refused:
        _book(slot, **kwargs)
    assert refused.value.field == field
    assert not VisitBooking.objects.exists()


def test_only_a_future_open_slot_of_a_visible_listing_is_booked(world, time_machine):
    slot = visits_slot(world, hours=2)
    world.listing.status = "withdrawn"
    world.listing.save()
    with pytest.raises(ListingNotFound):
        _book(slot)
    world.listing.status = "published"
    world.listing.save()
    time_machine.move_to(slot.starts_at + timedelta(minutes=1))
    with pytest.raises(SlotNotFound):
        _book(slot)


def test_the_host_cancels_a_slot_and_the_seeker_is_told(world):
    slot = visits_slot(world)
    booking = _book(slot)
    with pytest.raises(SlotNotFound):
        visits.slot_cancel(actor=UserFactory(), slot=slot)
    visits.slot_cancel(actor=world.host, slot=slot)
    booking.refresh_from_db()
    assert booking.status == "canceled" and booking.canceled_by == "host"
    assert Message.objects.filter(template_key="market.visit_canceled", address=booking.seeker_phone).exists()
    with pytest.raises(SlotNotFound):
        _book(slot, phone="0197000015")


# --- cancel, reschedule, mark ---------------------------------------------------------------


def test_the_seeker_cancels_and_the_host_is_told(world):
    booking = _book(visits_slot(world))
    canceled = visits.cancel(booking, by="seeker")
    assert canceled.status == "canceled" and canceled.canceled_by == "seeker"
    assert Message.objects.filter(template_key="market.visit_canceled_host", user=world.host).exists()
    with pytest.raises(InvalidBookingState):
        visits.cancel(canceled, by="seeker")


def test_only_a_host_cancels_as_the_host(world):
    booking = _book(visits_slot(world))
    with pytest.raises(BookingNotFound):
        visits.cancel(booking, by="host", actor=UserFactory())
    visits.cancel(booking, by="host", actor=world.host)
    assert Message.objects.filter(template_key="market.visit_canceled").exists()


def test_reschedule_moves_the_visit_at_once(world):
    first, second = visits_slot(world, hours=48), visits_slot(world, hours=72)
    booking = _book(first)
    moved = visits.reschedule(booking, to_slot_id=second.public_id)
    booking.refresh_from_db()
    assert booking.status == "canceled"
    assert moved.status == "booked" and moved.slot == second
    assert moved.rescheduled_from == booking
    assert moved.code != booking.code
    assert (moved.seeker_name, moved.seeker_phone) == (booking.seeker_name, booking.seeker_phone)
    assert Message.objects.filter(template_key="market.visit_rescheduled").count() == 1
    assert Message.objects.filter(template_key="market.visit_rescheduled_host").count() == 1
    assert [s.pk for s in visits.open_slots(world.listing)] == [first.pk]


def test_reschedule_to_a_taken_slot_leaves_the_booking_as_it_was(world):
    first, second = visits_slot(world, hours=48), visits_slot(world, hours=72)
    booking = _book(first)
    _book(second, phone="0197000016")
    with pytest.raises(SlotTaken):
        visits.reschedule(booking, to_slot_id=second.public_id)
    booking.refresh_from_db()
    assert booking.status == "booked"
    other = visits_world(org_name="Autre", title="Autre")
    with pytest.raises(SlotNotFound):  # another listing's slot
        visits.reschedule(booking, to_slot_id=visits_slot(other).public_id)


def test_the_host_marks_done_or_no_show_after_the_start(world, time_machine):
    booking = _book(visits_slot(world, hours=2))
    with pytest.raises(InvalidBookingState):
        visits.mark(booking, "done", actor=world.host)
    time_machine.move_to(booking.starts_at + timedelta(minutes=5))
    with pytest.raises(BookingNotFound):
        visits.mark(booking, "no_show", actor=UserFactory())
    with pytest.raises(InvalidBooking):
        visits.mark(booking, "canceled", actor=world.host)
    with pytest.raises(InvalidBookingState):
        visits.cancel(booking, by="seeker")  # started: too late to cancel
    assert visits.mark(booking, "no_show", actor=world.host).status == "no_show"
    with pytest.raises(InvalidBookingState):
        visits.mark(booking, "done", actor=world.host)


# --- reads ----------------------------------------------------------------------------------


def test_the_host_calendar_is_scoped_to_the_callers_organizations(world, django_assert_max_num_queries):
    for hours in (24, 48, 72):
        _book(visits_slot(world, hours=hours), phone=f"01970001{hours:02d}")
    other = visits_world(org_name="Agence B", title="Secret de B")
    _book(visits_slot(other), name="Voisin Secret", phone="0197000099")
    start, end = timezone.now(), timezone.now() + timedelta(days=7)
    colleague = MembershipFactory(organization=world.agency, role="owner").user
    with django_assert_max_num_queries(3):
        rows = visits.host_calendar(colleague, start=start, end=end)
    assert len(rows) == 3
    assert all(r.organization_id == world.agency.pk for r in rows)
    assert [r.listing.title for r in visits.host_calendar(other.host, start=start, end=end)] == [
        "Secret de B"
    ]
    assert visits.host_calendar(UserFactory(), start=start, end=end) == []
    viewer = MembershipFactory(organization=world.agency, role="viewer").user
    assert visits.host_calendar(viewer, start=start, end=end) == []
    assert visits.host_slots(world.host, start=start, end=end) == []  # all three are booked
    assert VisitSlot.objects.filter(host=world.host, status="open").count() == 3


def test_an_independent_owner_sees_their_own_listings_visits(world):
    from apps.market.models import Listing

    owner = UserFactory()
    listing = Listing.objects.create(
        owner=owner, kind="studio", title="Chambre", price=30_000, city="Porto-Novo", status="published"
    )
    start = _start()
    slot = visits.slots_create(
        actor=owner, listing=listing, starts_at=start, ends_at=start + timedelta(minutes=30)
    )[0]
    booking = _book(slot)
    rows = visits.host_calendar(owner, start=timezone.now(), end=timezone.now() + timedelta(days=3))
    assert rows == [booking]
    assert (
        visits.host_calendar(world.host, start=timezone.now(), end=timezone.now() + timedelta(days=3)) == []
    )


# --- reminders ------------------------------------------------------------------------------


def test_reminders_are_sent_once(world, time_machine):
    early = _book(visits_slot(world, hours=50), phone="0197000021")  # booked 2 days ahead
    late = _book(visits_slot(world, hours=5), phone="0197000022")  # booked the same day
    last_minute = _book(visits_slot(world, hours=1), phone="0197000023")  # < 2 h: confirmation only
    now = timezone.now()
    assert visits.reminders_run(now=now) == 0
    assert visits.reminders_run(now=now + timedelta(hours=27)) == 1  # the day before `early`
    early.refresh_from_db()
    assert early.reminder_sent_at is not None
    assert visits.reminders_run(now=now + timedelta(hours=27)) == 0  # once
    assert visits.reminders_run(now=now + timedelta(hours=3, minutes=30)) == 1  # ~2 h before `late`
    late.refresh_from_db()
    assert late.reminder_sent_at is not None
    last_minute.refresh_from_db()
    assert last_minute.reminder_sent_at is None
    reminders = Message.objects.filter(template_key="market.visit_reminder")
    assert sorted(m.address for m in reminders) == ["+2290197000021", "+2290197000022"]
    assert "Rue 12, Fidjrossè" in reminders[0].body


def test_a_canceled_visit_gets_no_reminder(world):
    booking = _book(visits_slot(world, hours=50))
    visits.cancel(booking, by="seeker")
    assert visits.reminders_run(now=timezone.now() + timedelta(hours=30)) == 0


# --- .ics -----------------------------------------------------------------------------------


def test_the_ics_file(world):
    world.listing.title = (
        "Studio, meublé; vue mer — « Fidjrossè » avec un titre vraiment très long pour plier"
    )
    world.listing.save()
    slot = visits_slot(world)
    booking = _book(slot)
    text = visits.ics(booking)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    unfolded = text.replace("\r\n ", "")
    fields = dict(line.split(":", 1) for line in unfolded.split("\r\n") if line)
    assert fields["UID"] == f"{booking.public_id}@hokwe.com"
    assert fields["DTSTART"] == slot.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert fields["DTEND"] == slot.ends_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert re.fullmatch(r"\d{8}T\d{6}Z", fields["DTSTAMP"])
    assert "Studio\\, meublé\\; vue mer — « Fidjrossè »" in fields["SUMMARY"]
    assert fields["LOCATION"] == "Rue 12\\, Fidjrossè\\, Cotonou"
    assert booking.code in fields["DESCRIPTION"]
    assert fields["STATUS"] == "CONFIRMED"
    assert fields["GEO"] == "6.355400;2.366000"
