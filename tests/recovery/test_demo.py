"""The recovery demo: the agency's ladder, its own day off (Benin's holidays come from the library), the collector's rules, and the
demo's overdue rent as cases assigned to the collector — and a second seed changes nothing."""

from datetime import date

import pytest
from django.core.management import call_command

from apps.recovery.daysoff import is_public_holiday
from apps.recovery.demo import AGENCY_DAY_OFF, COLLECTOR_PHONE
from apps.recovery.models import AssignmentRule, Case, Holiday, Ladder

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Ladder.objects.count(),
        Holiday.objects.count(),
        AssignmentRule.objects.count(),
        Case.objects.count(),
    )


def test_demo_seeds_recovery_and_is_idempotent():
    call_command("seed_demo", "--no-progress", "--quiet-logins")
    ladder = Ladder.objects.get(is_active=True)
    assert ladder.steps.count() >= 7
    own = Holiday.objects.get(organization=ladder.organization)
    assert (own.date, own.name) == AGENCY_DAY_OFF
    for day in (AGENCY_DAY_OFF[0], date(2026, 8, 1), date(2027, 1, 1)):
        assert is_public_holiday(country="BJ", day=day, organization_id=ladder.organization_id)
    rules = AssignmentRule.objects.filter(organization=ladder.organization)
    assert {r.city for r in rules} == {"Cotonou", "Abomey-Calavi"}
    assert {str(r.collector.phone) for r in rules} == {COLLECTOR_PHONE}
    cases = Case.objects.filter(organization=ladder.organization)
    assert cases.exists(), "the demo's overdue dues become cases"
    assert all(c.collector_id == rules[0].collector_id for c in cases)
    assert all(c.ladder_id == ladder.pk for c in cases)

    before = _counts()
    call_command("seed_demo", "--no-progress", "--quiet-logins")
    assert _counts() == before
