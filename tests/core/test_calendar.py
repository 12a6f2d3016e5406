"""The agency's calendar (/manager/calendar/?month=2026-03): rent due dates, lease ends and
inspections (estate), promises to pay and visits (recovery), each on its day, the public
holidays of the organization's country, and never another organization's events."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import translation

from apps.core.web.calendar import month_of, providers
from apps.estate import services as estate
from apps.recovery import services as recovery
from apps.recovery.daysoff import national_holidays
from apps.recovery.models import Case, Holiday
from tests.fixtures.estate import end_lease, lease_for, managed_property
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/manager/calendar/"
TODAY = date(2026, 3, 10)
RAMADAN_END_2026 = date(2026, 3, 20)  # a movable public holiday in Benin (the library's estimate)
COTONOU = ZoneInfo("Africa/Porto-Novo")


@pytest.fixture
def world(time_machine):
    time_machine.move_to("2026-03-10T11:00:00+00:00", tick=False)
    agency = OrganizationFactory(name="Agence Calendrier", kind="agency", country="BJ")
    manager = MembershipFactory(organization=agency, role="manager").user
    collector = MembershipFactory(organization=agency, role="collector").user
    prop = managed_property(agency, name="Résidence Cadjèhoun", latitude="6.350000", longitude="2.380000")
    lease = lease_for(manager, prop, UserFactory(full_name="Brice Zinsou"), unit_label="B2")
    ending = lease_for(manager, prop, UserFactory(full_name="Awa Dossou"), unit_label="C3")
    end_lease(manager, ending, date(2026, 3, 31))
    estate.inspection_create(
        actor=manager,
        lease=lease,
        kind="move_in",
        inspected_on=date(2026, 3, 12),
        items=[{"room": "Salon", "element": "Mur", "condition": "good"}],
    )
    recovery.ladder_default(organization_id=agency.pk)
    recovery.cases_sync(today=TODAY)
    case = Case.objects.get(lease=lease.public_id)
    Case.objects.filter(pk=case.pk).update(collector=collector)
    case.refresh_from_db()
    recovery.promise_create(
        actor=manager, case=case, amount=80_000, promised_on=date(2026, 3, 18), today=TODAY
    )
    recovery.visit_record(
        actor=collector,
        case=case,
        outcome="absent",
        latitude="6.350100",
        longitude="2.380100",
        idempotency_key="visit-calendar-1",
        visited_at=datetime(2026, 3, 9, 10, 0, tzinfo=COTONOU),
    )
    Holiday.objects.create(organization=agency, date=date(2026, 3, 24), name="Fête de l'agence")

    other = OrganizationFactory(name="Agence Voisine", kind="agency", country="CI")
    other_manager = MembershipFactory(organization=other, role="owner").user
    other_prop = managed_property(other, name="Résidence Secrète Voisine")
    lease_for(
        other_manager,
        other_prop,
        UserFactory(full_name="Voisin Secret"),
        unit_label="V1",
        start_date=date(2025, 12, 1),
    )
    Holiday.objects.create(organization=other, date=date(2026, 3, 25), name="Fête secrète voisine")
    return {
        "manager": manager,
        "collector": collector,
        "lease": lease,
        "ending": ending,
        "other_manager": other_manager,
    }


def _page(user, month="2026-03") -> str:
    client = Client()
    client.force_login(user)
    response = client.get(URL, {"month": month})
    assert response.status_code == 200
    return response.content.decode()


def _cell(html: str, day: date) -> str:
    """The grid cell of `day`."""
    found = re.search(rf'<td class="[^"]*" data-day="{day.isoformat()}">(.*?)</td>', html, re.S)
    assert found, f"no cell for {day}"
    return found.group(1)


def _agenda_day(html: str, day: date) -> str:
    found = re.search(
        rf'<div class="cal-agenda-day[^"]*" data-day="{day.isoformat()}">(.*?)</div>', html, re.S
    )
    assert found, f"no agenda entry for {day}"
    return found.group(1)


def test_providers_are_discovered_from_the_modules():
    assert {"estate", "recovery"} <= {label for label, _f in providers()}


def test_month_of_reads_the_parameter_or_falls_back_to_today():
    assert month_of("2026-06", TODAY) == date(2026, 6, 1)
    assert month_of("2026-13", TODAY) == date(2026, 3, 1)
    assert month_of("junk", TODAY) == date(2026, 3, 1)
    assert month_of(None, TODAY) == date(2026, 3, 1)


def test_each_kind_of_event_is_on_its_day(world):
    html = _page(world["manager"])
    assert "Calendrier — mars 2026" in html
    assert 'data-kind="due"' in _cell(html, date(2026, 3, 5))  # rent due on the 5th
    assert 'data-kind="lease_end"' in _cell(html, date(2026, 3, 31))
    assert 'data-kind="inspection"' in _cell(html, date(2026, 3, 12))
    assert 'data-kind="promise"' in _cell(html, date(2026, 3, 18))
    assert 'data-kind="visit"' in _cell(html, date(2026, 3, 9))
    assert 'data-kind="due"' not in _cell(html, date(2026, 3, 6))
    # the agenda (phone) says the same with the date written in French
    day = _agenda_day(html, date(2026, 3, 18))
    assert "Promesse de paiement" in day and "Brice Zinsou" in day and "80" in day
    assert "<h2>18 mars 2026</h2>" in _agenda_day(html, date(2026, 3, 18))
    assert "Fin de bail" in _agenda_day(html, date(2026, 3, 31))
    assert str(world["ending"].public_id) in _agenda_day(html, date(2026, 3, 31))


def test_the_holidays_of_the_organizations_country_and_its_own_days_are_shown(world):
    with translation.override("fr"):
        name = {h.date: h.name for h in national_holidays("BJ", 2026)}[RAMADAN_END_2026]
    html = _page(world["manager"])
    cell = _cell(html, RAMADAN_END_2026)
    assert 'data-kind="holiday"' in cell and name in cell
    assert re.search(rf'<td class="[^"]*holiday[^"]*" data-day="{RAMADAN_END_2026.isoformat()}"', html)
    assert "Fête de l'agence" in _cell(html, date(2026, 3, 24)) or "Fête de l&#x27;agence" in _cell(
        html, date(2026, 3, 24)
    )
    assert "Jour férié" in _agenda_day(html, RAMADAN_END_2026)


def test_another_organizations_events_never_show(world):
    html = _page(world["manager"])
    assert "Secrète Voisine" not in html and "Voisin Secret" not in html
    assert "Fête secrète voisine" not in html
    other = _page(world["other_manager"])
    assert "Cadjèhoun" not in other and "Brice Zinsou" not in other and "Fête de l" not in other
    assert str(world["lease"].public_id) not in other


def test_months_navigate_and_an_empty_month_says_so(world):
    html = _page(world["manager"], "2026-03")
    assert "?month=2026-02" in html and "?month=2026-04" in html
    html = _page(world["manager"], "2024-02")
    assert "Rien ce mois-ci." in html
    assert "février 2024" in html


def test_the_calendar_is_in_the_offices_menu_and_not_the_collectors(world):
    html = _page(world["manager"])
    assert 'data-nav="calendar" aria-current="page"' in html
    client = Client()
    client.force_login(world["collector"])
    assert 'data-nav="calendar"' not in client.get("/manager/").content.decode()


def test_anonymous_is_sent_to_the_login():
    response = Client().get(URL)
    assert response.status_code == 302 and "/manager/login/" in response["Location"]
