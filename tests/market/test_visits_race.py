"""Two seekers booking the same slot at the same instant, and two overlapping slots of one host
published at once (real PostgreSQL connections, one per thread): exactly one wins; the other
gets SlotTaken / SlotOverlap, a clear 409, never a 500 or a second row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.market.errors import SlotOverlap, SlotTaken
from apps.market.models import VisitBooking, VisitSlot
from apps.market.services import visits
from tests.fixtures.market import visits_slot, visits_world
from tests.helpers import run_concurrently

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent connections"),
]


def test_two_seekers_at_once_one_wins():
    world = visits_world()
    slot = visits_slot(world)

    def seeker(n):
        return lambda: visits.book(slot_id=slot.public_id, name=f"Seeker {n}", phone=f"01970001{n:02d}")

    for _round in range(3):
        results = run_concurrently([seeker(1), seeker(2)])
        won = [r for r in results if isinstance(r, VisitBooking)]
        lost = [r for r in results if isinstance(r, Exception)]
        assert len(won) == 1, results
        assert len(lost) == 1 and isinstance(lost[0], SlotTaken), results
        assert VisitBooking.objects.filter(slot=slot, status="booked").count() == 1
        visits.cancel(won[0], by="seeker")  # the slot opens again for the next round


def test_the_same_retry_twice_at_once_is_one_booking():
    world = visits_world()
    slot = visits_slot(world)

    def retry():
        return visits.book(slot_id=slot.public_id, name="Awa", phone="0197000150", idempotency_key="race-key")

    results = run_concurrently([retry, retry])
    assert all(isinstance(r, VisitBooking) for r in results), results
    assert results[0].pk == results[1].pk
    assert VisitBooking.objects.count() == 1


def test_two_overlapping_slots_published_at_once():
    world = visits_world()
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)

    def publish(offset):
        return lambda: visits.slots_create(
            actor=world.host,
            listing=world.listing,
            starts_at=start + timedelta(minutes=offset),
            ends_at=start + timedelta(minutes=offset + 60),
        )

    results = run_concurrently([publish(0), publish(30)])
    assert sum(isinstance(r, list) for r in results) == 1, results
    assert sum(isinstance(r, SlotOverlap) for r in results) == 1, results
    assert VisitSlot.objects.count() == 1
