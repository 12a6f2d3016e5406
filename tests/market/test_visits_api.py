"""Visits over REST (/api/v1/market/…) and GraphQL (market… fields): anonymous slots and
booking (rate-limited), the seeker's visits, the host's calendar, cancel/reschedule/mark,
the anonymous seeker's booking by code; problem details on refusals; query-count ceilings on
the lists; another organization's visit is a 404 / null."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from apps.market.models import VisitBooking, VisitSlot
from apps.market.services import visits
from tests.fixtures.market import visits_slot, visits_world
from tests.helpers import bearer_client, gql
from tests.identity.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/market"


@pytest.fixture
def world():
    return visits_world()


def _book(slot, phone="0197000041", **kwargs):
    return visits.book(slot_id=slot.public_id, name="Awa Dossou", phone=phone, **kwargs)


# --- REST -----------------------------------------------------------------------------------


def test_anyone_reads_a_listings_open_slots(world, django_assert_max_num_queries):
    for hours in (24, 48, 72):
        visits_slot(world, hours=hours)
    client = APIClient()
    with django_assert_max_num_queries(4):
        response = client.get(f"{API}/listings/{world.listing.public_id}/slots")
    assert response.status_code == 200
    assert len(response.json()) == 3
    assert set(response.json()[0]) == {"id", "starts_at", "ends_at", "meeting_point"}
    missing = client.get(f"{API}/listings/00000000-0000-0000-0000-000000000000/slots")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/problem+json")


def test_an_anonymous_booking_over_rest_and_its_retry(world):
    slot = visits_slot(world)
    client = APIClient()
    body = {"slot": str(slot.public_id), "name": "Awa Dossou", "phone": "01 97 00 00 41"}
    first = client.post(f"{API}/visits", body, format="json", HTTP_IDEMPOTENCY_KEY="rest-retry-1")
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["status"] == "booked" and len(data["code"]) == 8
    assert data["seeker_phone"] == "+2290197000041"
    again = client.post(f"{API}/visits", body, format="json", HTTP_IDEMPOTENCY_KEY="rest-retry-1")
    assert again.status_code == 201 and again.json()["id"] == data["id"]
    taken = client.post(f"{API}/visits", {**body, "phone": "0197000042"}, format="json")
    assert taken.status_code == 409
    assert taken.json()["code"] == "market_slot_taken"
    assert "vient d'être réservé" in taken.json()["detail"]
    bad = client.post(f"{API}/visits", {**body, "phone": "12", "extra": 1}, format="json")
    assert bad.status_code == 400
    by_code = client.get(f"{API}/visits/by-code/{data['code']}")
    assert by_code.status_code == 200 and by_code.json()["id"] == data["id"]
    ics = client.get(f"{API}/visits/by-code/{data['code']}/ics")
    assert ics.status_code == 200 and b"BEGIN:VCALENDAR" in ics.content
    assert client.get(f"{API}/visits/by-code/ZZZZZZZZ").status_code == 404


def test_booking_is_rate_limited_per_client(world):
    slots = [visits_slot(world, hours=24 + i) for i in range(3)]
    client = APIClient()
    rest = settings.REST_FRAMEWORK
    rates = {**rest["DEFAULT_THROTTLE_RATES"], "market.book": "2/h"}
    with override_settings(REST_FRAMEWORK={**rest, "DEFAULT_THROTTLE_RATES": rates}):
        codes = [
            client.post(
                f"{API}/visits",
                {"slot": str(s.public_id), "name": "Awa", "phone": f"01970000{50 + i}"},
                format="json",
            ).status_code
            for i, s in enumerate(slots)
        ]
    assert codes == [201, 201, 429]
    assert VisitBooking.objects.count() == 2


def test_the_seeker_lists_cancels_and_moves_their_visits(world, django_assert_max_num_queries):
    seeker = UserFactory()
    client = bearer_client(seeker)
    for hours in (24, 48):
        visits.book(slot_id=visits_slot(world, hours=hours).public_id, seeker=seeker, name="", phone="")
    _book(visits_slot(world, hours=60))  # someone else's
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/visits")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 2 and all(r["code"] for r in rows)
    target = visits_slot(world, hours=96)
    first = rows[-1]["id"]
    moved = client.post(f"{API}/visits/{first}/reschedule", {"slot": str(target.public_id)}, format="json")
    assert moved.status_code == 200 and moved.json()["slot"] == str(target.public_id)
    canceled = client.post(f"{API}/visits/{moved.json()['id']}/cancel")
    assert canceled.status_code == 200 and canceled.json()["status"] == "canceled"
    again = client.post(f"{API}/visits/{moved.json()['id']}/cancel")
    assert again.status_code == 409


def test_the_host_publishes_slots_and_reads_the_calendar(world, django_assert_max_num_queries):
    client = bearer_client(world.host)
    start = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    created = client.post(
        f"{API}/listings/{world.listing.public_id}/slots",
        {
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(minutes=30)).isoformat(),
            "repeat_weeks": 1,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert len(created.json()) == 2
    overlap = client.post(
        f"{API}/listings/{world.listing.public_id}/slots",
        {
            "starts_at": (start + timedelta(minutes=10)).isoformat(),
            "ends_at": (start + timedelta(minutes=40)).isoformat(),
        },
        format="json",
    )
    assert overlap.status_code == 409 and overlap.json()["code"] == "market_slot_overlap"
    _book(VisitSlot.objects.order_by("starts_at").first())
    window = {"start": timezone.now().isoformat(), "end": (timezone.now() + timedelta(days=30)).isoformat()}
    with django_assert_max_num_queries(6):
        calendar = client.get(f"{API}/visits/calendar", window)
    assert calendar.status_code == 200
    assert [r["seeker_name"] for r in calendar.json()] == ["Awa Dossou"]
    assert calendar.json()[0]["code"] is None  # the seeker's key is not the host's
    with django_assert_max_num_queries(6):
        open_slots = client.get(f"{API}/visit-slots", window)
    assert len(open_slots.json()) == 1
    assert client.get(f"{API}/visits/calendar", {"start": "x"}).status_code == 400
    # another organization's manager sees none of it and cannot publish on the listing
    stranger = bearer_client(MembershipFactory(role="manager").user)
    assert stranger.get(f"{API}/visits/calendar", window).json() == []
    refused = stranger.post(
        f"{API}/listings/{world.listing.public_id}/slots",
        {"starts_at": start.isoformat(), "ends_at": (start + timedelta(minutes=30)).isoformat()},
        format="json",
    )
    assert refused.status_code == 404


def test_the_host_marks_and_another_org_gets_404(world, time_machine):
    booking = _book(visits_slot(world, hours=2))
    stranger = bearer_client(MembershipFactory(role="manager").user)
    host_user = world.host
    assert stranger.get(f"{API}/visits/{booking.public_id}").status_code == 404
    assert stranger.post(f"{API}/visits/{booking.public_id}/cancel").status_code == 404
    assert stranger.post(f"{API}/visit-slots/{booking.slot.public_id}/cancel").status_code == 404
    early = bearer_client(host_user).post(
        f"{API}/visits/{booking.public_id}/mark", {"status": "done"}, format="json"
    )
    assert early.status_code == 409
    time_machine.move_to(booking.starts_at + timedelta(minutes=15))
    done = bearer_client(host_user).post(
        f"{API}/visits/{booking.public_id}/mark", {"status": "done"}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "done"


def test_by_code_cancel_and_reschedule(world):
    first, second = visits_slot(world, hours=24), visits_slot(world, hours=48)
    booking = _book(first)
    client = APIClient()
    moved = client.post(
        f"{API}/visits/by-code/{booking.code}/reschedule", {"slot": str(second.public_id)}, format="json"
    )
    assert moved.status_code == 200
    new_code = moved.json()["code"]
    assert new_code != booking.code
    assert client.post(f"{API}/visits/by-code/{new_code}/cancel").json()["status"] == "canceled"


# --- GraphQL --------------------------------------------------------------------------------


SLOTS = "query($id: UUID!) { marketVisitSlots(listingId: $id) { id startsAt endsAt meetingPoint } }"
BOOK = """mutation($slot: UUID!, $name: String, $phone: String, $key: String) {
  marketBookVisit(slotId: $slot, name: $name, phone: $phone, idempotencyKey: $key) {
    ok errors { code field message } visit { id code status seekerPhone startsAt }
  }
}"""


def test_graphql_anonymous_slots_and_booking(world):
    slot = visits_slot(world)
    client = APIClient()
    data = gql(client, SLOTS, {"id": str(world.listing.public_id)})
    assert [s["id"] for s in data["marketVisitSlots"]] == [str(slot.public_id)]
    booked = gql(
        client, BOOK, {"slot": str(slot.public_id), "name": "Awa", "phone": "0197000043", "key": "g1"}
    )
    payload = booked["marketBookVisit"]
    assert payload["ok"] and payload["visit"]["seekerPhone"] == "+2290197000043"
    code = payload["visit"]["code"]
    again = gql(
        client, BOOK, {"slot": str(slot.public_id), "name": "Awa", "phone": "0197000043", "key": "g1"}
    )
    assert again["marketBookVisit"]["visit"]["id"] == payload["visit"]["id"]
    taken = gql(client, BOOK, {"slot": str(slot.public_id), "name": "Koffi", "phone": "0197000044"})
    assert not taken["marketBookVisit"]["ok"]
    assert taken["marketBookVisit"]["errors"][0]["code"] == "market_slot_taken"
    by_code = gql(client, "query($c: String!) { marketVisitByCode(code: $c) { id status } }", {"c": code})
    assert by_code["marketVisitByCode"]["id"] == payload["visit"]["id"]
    unknown = gql(client, 'query { marketVisitByCode(code: "ZZZZZZZZ") { id } }')
    assert unknown["marketVisitByCode"] is None
    canceled = gql(
        client,
        "mutation($c: String!) { marketCancelVisitByCode(code: $c) { ok visit { status } } }",
        {"c": code},
    )
    assert canceled["marketCancelVisitByCode"]["visit"]["status"] == "canceled"


def test_graphql_my_visits_and_the_host_calendar(world, django_assert_max_num_queries):
    seeker = UserFactory()
    client = bearer_client(seeker)
    booking = visits.book(slot_id=visits_slot(world).public_id, seeker=seeker, name="", phone="")
    _book(visits_slot(world, hours=60))
    with django_assert_max_num_queries(10):
        mine = gql(client, "{ marketMyVisits { id code listing { title } } }")
    assert [v["id"] for v in mine["marketMyVisits"]] == [str(booking.public_id)]
    host = bearer_client(world.host)
    window = {"s": timezone.now().isoformat(), "e": (timezone.now() + timedelta(days=7)).isoformat()}
    query = "query($s: DateTime!, $e: DateTime!) { marketHostCalendar(start: $s, end: $e) { id code seekerName } }"
    with django_assert_max_num_queries(10):
        calendar = gql(host, query, window)
    assert len(calendar["marketHostCalendar"]) == 2
    assert all(v["code"] is None for v in calendar["marketHostCalendar"])
    stranger = bearer_client(MembershipFactory(role="manager").user)
    assert gql(stranger, query, window)["marketHostCalendar"] == []
    one = "query($id: UUID!) { marketVisit(bookingId: $id) { id } }"
    assert gql(stranger, one, {"id": str(booking.public_id)})["marketVisit"] is None


def test_graphql_publish_mark_and_cancel(world, time_machine):
    host = bearer_client(world.host)
    start = (timezone.now() + timedelta(hours=3)).replace(microsecond=0)
    published = gql(
        host,
        """mutation($l: UUID!, $s: DateTime!, $e: DateTime!) {
          marketPublishVisitSlots(listingId: $l, startsAt: $s, endsAt: $e, repeatWeeks: 1) {
            ok errors { code field } slots { id listingTitle }
          }
        }""",
        {
            "l": str(world.listing.public_id),
            "s": start.isoformat(),
            "e": (start + timedelta(hours=4)).isoformat(),
        },
    )["marketPublishVisitSlots"]
    assert not published["ok"] and published["errors"][0]["field"] == "ends_at"
    published = gql(
        host,
        """mutation($l: UUID!, $s: DateTime!, $e: DateTime!) {
          marketPublishVisitSlots(listingId: $l, startsAt: $s, endsAt: $e, repeatWeeks: 1) { ok slots { id } }
        }""",
        {
            "l": str(world.listing.public_id),
            "s": start.isoformat(),
            "e": (start + timedelta(hours=1)).isoformat(),
        },
    )["marketPublishVisitSlots"]
    assert published["ok"] and len(published["slots"]) == 2
    booking = _book(VisitSlot.objects.order_by("starts_at").first())
    time_machine.move_to(booking.starts_at + timedelta(minutes=5))
    host = bearer_client(world.host)  # a fresh token at the new time
    marked = gql(
        host,
        'mutation($id: UUID!) { marketMarkVisit(bookingId: $id, status: "no_show") { ok visit { status } } }',
        {"id": str(booking.public_id)},
    )
    assert marked["marketMarkVisit"]["visit"]["status"] == "no_show"
    second = VisitSlot.objects.order_by("starts_at").last()
    withdrawn = gql(
        host,
        "mutation($id: UUID!) { marketCancelVisitSlot(slotId: $id) { ok slot { status } } }",
        {"id": str(second.public_id)},
    )
    assert withdrawn["marketCancelVisitSlot"]["slot"]["status"] == "canceled"
    stranger = bearer_client(UserFactory())
    refused = gql(
        stranger,
        "mutation($id: UUID!) { marketCancelVisit(bookingId: $id) { ok errors { code } } }",
        {"id": str(booking.public_id)},
    )
    assert refused["marketCancelVisit"]["errors"][0]["code"] == "market_booking_not_found"
