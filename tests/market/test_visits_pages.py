"""The booking web app (/booking/…) and the agent's calendar of visits (/manager/market/visits/):
book in two taps (pick a slot, name + phone, submit), the confirmation with the code and the
.ics, manage by code (cancel after a confirmation page, reschedule), form errors on bad
input, never a 500; the agent's week of visits and open slots, publishing slots, marking a
visit, and never another organization's visit."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.market.models import VisitBooking, VisitSlot
from apps.market.services import visits
from tests.fixtures.market import visits_slot, visits_world
from tests.identity.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return visits_world()


def _listing_url(world):
    return reverse("market:booking-listing", args=[world.listing.public_id])


def test_an_anonymous_visitor_books_in_two_taps(world):
    slot = visits_slot(world, hours=30)
    visits_slot(world, hours=54)
    client = Client()
    page = client.get(_listing_url(world))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Studio meublé à Fidjrossè" in html
    assert html.count('data-testid="slot"') == 2
    assert 'lang="fr"' in html and "Réserver la visite" in html
    key = page.context["form"].initial["key"]
    response = client.post(
        _listing_url(world),
        {"slot": str(slot.public_id), "name": "Awa Dossou", "phone": "0197000031", "key": key},
    )
    booking = VisitBooking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("market:booking-manage", args=[booking.code]) + "?new=1"
    # a double tap on « Book » (the same form) is the same booking
    again = client.post(
        _listing_url(world),
        {"slot": str(slot.public_id), "name": "Awa Dossou", "phone": "0197000031", "key": key},
    )
    assert again.status_code == 302 and VisitBooking.objects.count() == 1
    confirmation = client.get(response["Location"]).content.decode()
    assert booking.code in confirmation
    assert reverse("market:booking-ics", args=[booking.code]) in confirmation
    ics = client.get(reverse("market:booking-ics", args=[booking.code]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content
    # the booked slot is no longer offered
    assert client.get(_listing_url(world)).content.decode().count('data-testid="slot"') == 1


def test_a_signed_in_seeker_gets_their_name_and_phone_prefilled(world):
    visits_slot(world)
    seeker = UserFactory(full_name="Brice Zinsou")
    client = Client()
    client.force_login(seeker)
    html = client.get(_listing_url(world)).content.decode()
    assert 'value="Brice Zinsou"' in html
    assert f'value="{seeker.phone}"' in html


@pytest.mark.parametrize(
    ("data", "marker"),
    [
        ({"name": "Awa", "phone": "0197000031"}, 'data-testid="slot-error"'),
        ({"slot": "nope", "name": "Awa", "phone": "0197000031"}, 'data-testid="slot-error"'),
        ({"slot": "SLOT", "name": "Awa", "phone": "12"}, 'data-testid="phone-error"'),
        ({"slot": "SLOT", "name": "Awa", "phone": "' OR 1=1 --"}, 'data-testid="phone-error"'),
        ({"slot": "SLOT", "name": "", "phone": "0197000031"}, "Ce champ est obligatoire."),
    ],
)
def test_bad_input_is_a_form_error(world, data, marker):
    slot = visits_slot(world)
    data = {k: (str(slot.public_id) if v == "SLOT" else v) for k, v in data.items()}
    response = Client().post(_listing_url(world), data)
    assert response.status_code == 400
    assert marker in response.content.decode()
    assert not VisitBooking.objects.exists()


def test_a_slot_just_taken_is_said_on_the_page(world):
    slot = visits_slot(world)
    visits.book(slot_id=slot.public_id, name="Premier", phone="0197000032")
    response = Client().post(
        _listing_url(world), {"slot": str(slot.public_id), "name": "Awa", "phone": "0197000031"}
    )
    assert response.status_code == 400
    assert "vient d" in response.content.decode()  # « Ce créneau vient d'être réservé… »


def test_unknown_listing_or_code_is_the_not_found_page(world):
    client = Client()
    assert (
        client.get(
            reverse("market:booking-listing", args=["00000000-0000-0000-0000-000000000000"])
        ).status_code
        == 404
    )
    assert client.get(reverse("market:booking-manage", args=["ZZZZZZZZ"])).status_code == 404
    assert client.post(reverse("market:booking-cancel", args=["ZZZZZZZZ"])).status_code == 404
    world.listing.status = "draft"
    world.listing.save()
    assert client.get(_listing_url(world)).status_code == 404


def test_manage_by_code_cancel_after_confirmation(world):
    booking = visits.book(slot_id=visits_slot(world).public_id, name="Awa", phone="0197000031")
    client = Client()
    url = reverse("market:booking-cancel", args=[booking.code])
    asked = client.post(url)
    assert asked.status_code == 200 and "Annuler" in asked.content.decode()
    booking.refresh_from_db()
    assert booking.status == "booked"  # nothing done before the confirmation
    done = client.post(url, {"confirm_step": "confirm"})
    assert done.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "canceled"
    assert ">annulée<" in client.get(reverse("market:booking-manage", args=[booking.code])).content.decode()


def test_manage_by_code_reschedule(world):
    first, second = visits_slot(world, hours=30), visits_slot(world, hours=54)
    booking = visits.book(slot_id=first.public_id, name="Awa", phone="0197000031")
    client = Client()
    page = client.get(reverse("market:booking-manage", args=[booking.code])).content.decode()
    assert str(second.public_id) in page and str(first.public_id) not in page
    bad = client.post(reverse("market:booking-reschedule", args=[booking.code]), {"slot": "x"})
    assert bad.status_code == 400
    moved = client.post(
        reverse("market:booking-reschedule", args=[booking.code]), {"slot": str(second.public_id)}
    )
    new = VisitBooking.objects.get(status="booked")
    assert moved["Location"] == reverse("market:booking-manage", args=[new.code]) + "?new=1"
    old_page = client.get(reverse("market:booking-manage", args=[booking.code])).content.decode()
    assert reverse("market:booking-manage", args=[new.code]) in old_page


def test_the_pages_fit_a_phone_and_a_laptop(world):
    visits_slot(world)
    html = Client().get(_listing_url(world)).content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<script" not in html  # light: no script
    assert "@media (min-width: 900px)" in html


# --- the agent's calendar -------------------------------------------------------------------


def _calendar(client, **params):
    return client.get(reverse("manager:market-visits"), params)


def test_the_agent_sees_the_weeks_visits_and_open_slots(world, django_assert_max_num_queries):
    # both slots on one local day, 10:00 and 12:00 the day after tomorrow: « now + 26 h and
    # + 28 h » straddled Sunday midnight on a Saturday evening and left a week with one slot
    day = timezone.localdate() + timedelta(days=2)
    ten = timezone.make_aware(datetime.combine(day, time(10, 0)))
    hours = (ten - timezone.now()).total_seconds() / 3600
    slot = visits_slot(world, hours=hours)
    visits_slot(world, hours=hours + 2)
    visits.book(slot_id=slot.public_id, name="Awa Dossou", phone="0197000031")
    other = visits_world(org_name="Agence Voisine", title="Villa secrète")
    visits.book(slot_id=visits_slot(other, hours=hours).public_id, name="Voisin Secret", phone="0197000099")
    client = Client()
    client.force_login(world.host)
    week = day.isoformat()
    _calendar(client, week=week)  # warm the session and the menu's caches
    with django_assert_max_num_queries(30):
        response = _calendar(client, week=week)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Awa Dossou" in html and "+2290197000031" in html
    assert html.count('data-testid="visit"') == 1
    assert html.count('data-testid="open-slot"') == 1
    assert "Voisin Secret" not in html and "Villa secrète" not in html
    assert 'data-nav="market-visits"' in html


def test_the_agent_publishes_a_weekly_series(world):
    client = Client()
    client.force_login(world.host)
    day = timezone.localdate() + timedelta(days=2)
    response = client.post(
        reverse("manager:market-visits"),
        {
            "listing": str(world.listing.public_id),
            "day": day.isoformat(),
            "start": "10:00",
            "duration": "45",
            "repeat_weeks": "2",
            "meeting_point": "Devant la pharmacie",
        },
    )
    assert response.status_code == 302
    slots = VisitSlot.objects.order_by("starts_at")
    assert slots.count() == 3
    assert timezone.localtime(slots[0].starts_at).strftime("%H:%M") == "10:00"
    assert slots[0].ends_at - slots[0].starts_at == timedelta(minutes=45)
    # the same time again overlaps: a form error, not a 500
    again = client.post(
        reverse("manager:market-visits"),
        {
            "listing": str(world.listing.public_id),
            "day": day.isoformat(),
            "start": "10:15",
            "duration": "30",
            "repeat_weeks": "0",
        },
    )
    assert again.status_code == 400
    assert "créneau de visite ouvert à cette heure" in again.content.decode()
    past = client.post(
        reverse("manager:market-visits"),
        {
            "listing": str(world.listing.public_id),
            "day": "2020-01-01",
            "start": "10:00",
            "duration": "30",
            "repeat_weeks": "0",
        },
    )
    assert past.status_code == 400
    other = visits_world(org_name="Autre", title="Autre")
    foreign = client.post(
        reverse("manager:market-visits"),
        {
            "listing": str(other.listing.public_id),
            "day": day.isoformat(),
            "start": "12:00",
            "duration": "30",
            "repeat_weeks": "0",
        },
    )
    assert foreign.status_code == 400
    assert VisitSlot.objects.count() == 3


def test_the_agent_marks_a_started_visit(world, time_machine):
    booking = visits.book(slot_id=visits_slot(world, hours=3).public_id, name="Awa", phone="0197000031")
    client = Client()
    client.force_login(world.host)
    url = reverse("manager:market-visit-mark", args=[booking.public_id])
    client.post(url, {"status": "done"})
    booking.refresh_from_db()
    assert booking.status == "booked"  # not started yet: refused, said on the page
    time_machine.move_to(booking.starts_at + timedelta(minutes=10))
    client.post(url, {"status": "no_show"})
    booking.refresh_from_db()
    assert booking.status == "no_show"


def test_another_organizations_visit_is_not_found(world):
    booking = visits.book(slot_id=visits_slot(world).public_id, name="Awa", phone="0197000031")
    outsider = MembershipFactory(role="manager").user
    client = Client()
    client.force_login(outsider)
    assert client.post(reverse("manager:market-visit-cancel", args=[booking.public_id])).status_code == 404
    assert (
        client.post(
            reverse("manager:market-visit-mark", args=[booking.public_id]), {"status": "done"}
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("manager:market-slot-cancel", args=[booking.slot.public_id])).status_code == 404
    )
    assert client.get(reverse("manager:market-visit-ics", args=[booking.public_id])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_the_agent_cancels_a_visit_after_confirmation(world):
    booking = visits.book(slot_id=visits_slot(world).public_id, name="Awa", phone="0197000031")
    client = Client()
    client.force_login(world.host)
    url = reverse("manager:market-visit-cancel", args=[booking.public_id])
    assert client.post(url).status_code == 200
    assert client.post(url, {"confirm_step": "confirm"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == "canceled" and booking.canceled_by == "host"


def test_the_visits_are_in_the_agency_calendar(world):
    booking = visits.book(
        slot_id=visits_slot(world, hours=30).public_id, name="Awa Dossou", phone="0197000031"
    )
    client = Client()
    client.force_login(world.host)
    month = timezone.localtime(booking.starts_at).strftime("%Y-%m")
    html = client.get("/manager/calendar/", {"month": month}).content.decode()
    assert "Awa Dossou" in html
    stranger = Client()
    stranger.force_login(MembershipFactory(role="manager").user)
    assert "Awa Dossou" not in stranger.get("/manager/calendar/", {"month": month}).content.decode()


def test_the_manage_page_shows_only_its_own_booking(world, django_assert_max_num_queries):
    mine = visits.book(slot_id=visits_slot(world, hours=30).public_id, name="Awa Dossou", phone="0197000031")
    other = visits.book(
        slot_id=visits_slot(world, hours=54).public_id, name="Koffi Secret", phone="0197000077"
    )
    client = Client()
    client.get(reverse("market:booking-manage", args=[mine.code]))  # warm the session
    with django_assert_max_num_queries(12):
        html = client.get(reverse("market:booking-manage", args=[mine.code])).content.decode()
    assert mine.code in html and "Awa Dossou" in html
    assert other.code not in html and "Koffi Secret" not in html and "0197000077" not in html
    with django_assert_max_num_queries(12):
        listing_page = client.get(_listing_url(world)).content.decode()
    assert "Awa Dossou" not in listing_page and "Koffi Secret" not in listing_page


def test_the_booking_home_finds_a_booking_by_its_code(world):
    booking = visits.book(slot_id=visits_slot(world).public_id, name="Awa", phone="0197000031")
    client = Client()
    assert client.get("/booking/").status_code == 200
    found = client.post("/booking/", {"code": f" {booking.code.lower()} "})
    assert found.status_code == 302
    assert found["Location"] == reverse("market:booking-manage", args=[booking.code])
    missing = client.post("/booking/", {"code": "ZZZZZZZZ"})
    assert missing.status_code == 400 and 'data-testid="code-error"' in missing.content.decode()
