"""The holiday calendar: the country's public holidays from the `holidays` library (movable
Islamic and Christian days included) plus the organization's own days; the ladder sends
nothing on them."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import translation

from apps.recovery import services
from apps.recovery.daysoff import days_off, is_public_holiday, national_holidays
from apps.recovery.models import Holiday, StepRun

pytestmark = pytest.mark.django_db

TABASKI_2026 = date(2026, 5, 27)
EASTER_MONDAY_2026 = date(2026, 4, 6)
WHIT_MONDAY_2026 = date(2026, 5, 25)
RAMADAN_END_2026 = date(2026, 3, 20)
MAOULOUD_2026 = date(2026, 8, 25)
AN_ORDINARY_TUESDAY = date(2026, 4, 14)


@pytest.mark.parametrize("country", ["BJ", "CI"])
@pytest.mark.parametrize(
    "day", [TABASKI_2026, EASTER_MONDAY_2026, WHIT_MONDAY_2026, RAMADAN_END_2026, MAOULOUD_2026]
)
def test_movable_holidays_are_public_holidays(country, day):
    assert is_public_holiday(country=country, day=day)


def test_an_ordinary_day_is_not_a_holiday():
    assert not is_public_holiday(country="BJ", day=AN_ORDINARY_TUESDAY)


def test_fixed_national_days_differ_by_country():
    assert is_public_holiday(country="BJ", day=date(2026, 8, 1))  # Benin's independence
    assert not is_public_holiday(country="CI", day=date(2026, 8, 1))
    assert is_public_holiday(country="CI", day=date(2026, 8, 7))  # Côte d'Ivoire's


def test_names_are_french_in_french():
    with translation.override("fr"):
        names = {h.date: h.name for h in national_holidays("CI", 2026)}
    assert "Tabaski" in names[TABASKI_2026]
    assert "Pâques" in names[EASTER_MONDAY_2026]


def test_an_organizations_own_day_is_a_day_off_for_it_only(agency, other_agency):
    Holiday.objects.create(organization=agency, date=AN_ORDINARY_TUESDAY, name="Fête de l'agence")
    assert is_public_holiday(country="BJ", day=AN_ORDINARY_TUESDAY, organization_id=agency.pk)
    assert not is_public_holiday(country="BJ", day=AN_ORDINARY_TUESDAY, organization_id=other_agency.pk)
    listed = days_off(country="BJ", start=date(2026, 4, 1), end=date(2026, 4, 30), organization_id=agency.pk)
    assert [(d.date, d.organization_id) for d in listed] == [
        (EASTER_MONDAY_2026, None),
        (AN_ORDINARY_TUESDAY, agency.pk),
    ]


def _run(day):
    return services.ladder_run(today=day, now=datetime.combine(day, time(11, 0)).astimezone())


@pytest.mark.parametrize("day", [TABASKI_2026, EASTER_MONDAY_2026])
def test_the_ladder_sends_nothing_on_a_movable_holiday(case, ladder, day):
    assert ladder.country == "BJ" and ladder.skip_holidays
    result = _run(day)
    assert result.skipped_day_off == 1
    assert StepRun.objects.count() == 0


def test_the_ladder_sends_nothing_on_the_organizations_own_day(case, ladder, agency):
    Holiday.objects.create(organization=agency, date=AN_ORDINARY_TUESDAY, name="Séminaire de l'agence")
    assert _run(AN_ORDINARY_TUESDAY).skipped_day_off == 1
    assert StepRun.objects.count() == 0


def test_the_ladder_runs_the_next_ordinary_day(case, ladder):
    assert _run(date(2026, 4, 7)).skipped_day_off == 0
    assert StepRun.objects.exists()
