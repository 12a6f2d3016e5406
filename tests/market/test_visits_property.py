"""The booking states, property-based (hypothesis): any sequence of bookings, cancels (by the
seeker or the host), reschedules and no-show/done marks, before or after the visits start,
keeps the machine's rules — booked → canceled | done | no_show, nothing leaves a final
state, one live booking per slot, a slot is offered exactly when it is open, to come and
free — and each refusal is the expected one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.market.errors import InvalidBookingState, SlotNotFound, SlotTaken
from apps.market.models import VisitBooking
from apps.market.services import visits
from tests.fixtures.market import visits_slot, visits_world

pytestmark = pytest.mark.django_db

SLOTS = 3
FINAL = {"canceled", "done", "no_show"}

operation = st.one_of(
    st.tuples(st.just("book"), st.integers(0, SLOTS - 1)),
    st.tuples(st.just("cancel"), st.integers(0, 5), st.sampled_from(["seeker", "host"])),
    st.tuples(st.just("reschedule"), st.integers(0, 5), st.integers(0, SLOTS - 1)),
    st.tuples(st.just("mark"), st.integers(0, 5), st.sampled_from(["done", "no_show"])),
    st.tuples(st.just("later")),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, min_size=1, max_size=12))
def test_the_booking_state_machine(ops):
    with transaction.atomic():
        _run(ops)
        transaction.set_rollback(True)


def _run(ops):
    world = visits_world()
    slots = [visits_slot(world, hours=1 + i) for i in range(SLOTS)]
    now = timezone.now()
    started = False
    model: list[dict] = []  # {"pk", "slot", "status"} per booking, in creation order
    phones = iter(f"0197{n:06d}" for n in range(200, 400))

    def live_on(index):
        return any(b["slot"] == index and b["status"] == "booked" for b in model)

    for op in ops:
        kind = op[0]
        if kind == "later":
            started, now = True, timezone.now() + timedelta(hours=SLOTS + 2)
            continue
        if kind == "book":
            index = op[1]
            expected = SlotNotFound if started else SlotTaken if live_on(index) else None
            try:
                booking = visits.book(slot_id=slots[index].public_id, name="Awa", phone=next(phones), now=now)
            except (SlotNotFound, SlotTaken) as exc:
                assert type(exc) is expected, (op, exc)
            else:
                assert expected is None, op
                model.append({"pk": booking.pk, "slot": index, "status": "booked"})
        elif model:
            b = model[op[1] % len(model)]
            booking = VisitBooking.objects.get(pk=b["pk"])
            if kind == "cancel":
                by = op[2]
                ok = b["status"] == "booked" and not (started and by == "seeker")
                try:
                    visits.cancel(booking, by=by, actor=world.host, now=now)
                except InvalidBookingState:
                    assert not ok, op
                else:
                    assert ok, op
                    b["status"] = "canceled"
            elif kind == "reschedule":
                index = op[2]
                if b["status"] != "booked" or started:
                    expected = InvalidBookingState
                elif index == b["slot"]:
                    expected = SlotNotFound
                elif live_on(index):
                    expected = SlotTaken
                else:
                    expected = None
                try:
                    new = visits.reschedule(booking, to_slot_id=slots[index].public_id, now=now)
                except (InvalidBookingState, SlotNotFound, SlotTaken) as exc:
                    assert type(exc) is expected, (op, exc)
                else:
                    assert expected is None, op
                    assert new.rescheduled_from_id == b["pk"]
                    b["status"] = "canceled"
                    model.append({"pk": new.pk, "slot": index, "status": "booked"})
            else:  # mark
                ok = b["status"] == "booked" and started
                try:
                    visits.mark(booking, op[2], actor=world.host, now=now)
                except InvalidBookingState:
                    assert not ok, op
                else:
                    assert ok, op
                    b["status"] = op[2]
        # the invariants, after every step
        rows = dict(VisitBooking.objects.values_list("pk", "status"))
        assert rows == {b["pk"]: b["status"] for b in model}
        for index, slot in enumerate(slots):
            assert VisitBooking.objects.filter(slot=slot, status="booked").count() == int(live_on(index))
        offered = {s.pk for s in visits.open_slots(world.listing, now=now)}
        assert offered == {s.pk for i, s in enumerate(slots) if not started and not live_on(i)}
    assert all(b["status"] in FINAL | {"booked"} for b in model)
