"""The recovery demo: the agency's ladder, Benin's holidays, the collector's rules, and the
demo's overdue rent as cases assigned to the collector — and a second seed changes nothing."""

import pytest
from django.core.management import call_command

from apps.recovery.demo import BENIN_HOLIDAYS, COLLECTOR_PHONE
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
    national = Holiday.objects.filter(organization__isnull=True, country="BJ")
    assert national.count() == 2 * len(BENIN_HOLIDAYS)
    assert national.filter(date="2026-08-01", name__icontains="indépendance").exists()
    assert national.filter(date="2027-01-10").exists()
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
