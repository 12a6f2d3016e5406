"""Recovery on the shared kernel: formal notices numbered by core's gap-free numbering (and
continuing after the numbers recovery gave before, migrated from its own table), and the
promise, plan and legal follow-up state machines."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from apps.core.models import NumberSequence
from apps.core.statemachine import InvalidTransition
from apps.recovery import services
from apps.recovery.contracts import LegalStatus, PlanStatus, PromiseStatus
from apps.recovery.errors import InvalidState
from apps.recovery.services.states import LEGAL_STATES, PLAN_STATES, PROMISE_STATES


def test_notice_numbers_continue_after_the_last_number_given(case, agency):
    NumberSequence.objects.create(series="recovery.formal_notice", scope=str(agency.pk), year=2026, last=41)
    notice = services.formal_notice_issue(case=case)
    assert notice.number == "MED-2026-0042"
    assert (
        NumberSequence.objects.get(series="recovery.formal_notice", scope=str(agency.pk), year=2026).last
        == 42
    )


def test_the_migration_carries_the_old_sequences_over(case, agency):
    """0002 copies recovery.NumberSequence into core's table: the next notice follows the
    last number of the old table (the old table is recreated for the test, in its
    transaction)."""
    migration = __import__("apps.recovery.migrations.0002_numbering_in_core", fromlist=["copy_to_core"])
    old_apps = (
        MigrationExecutor(connection)
        .loader.project_state(("recovery", "0002_numbering_in_core"), at_end=False)
        .apps
    )
    Old = old_apps.get_model("recovery", "NumberSequence")
    with connection.schema_editor() as editor:
        editor.create_model(Old)
    Old.objects.create(organization_id=agency.pk, kind="formal_notice", year=2026, last=7)
    Old.objects.create(organization_id=agency.pk, kind="formal_notice", year=2025, last=19)

    migration.copy_to_core(old_apps, None)

    rows = NumberSequence.objects.filter(series="recovery.formal_notice", scope=str(agency.pk))
    assert sorted(rows.values_list("year", "last")) == [(2025, 19), (2026, 7)]
    assert services.formal_notice_issue(case=case).number == "MED-2026-0008"


def test_numbering_is_per_organization_and_year(case, agency):
    from apps.recovery.services.common import next_number

    with transaction.atomic():
        first = next_number(
            organization_id=agency.pk, kind="formal_notice", prefix="MED", on=date(2026, 3, 10)
        )
        other_year = next_number(
            organization_id=agency.pk, kind="formal_notice", prefix="MED", on=date(2027, 1, 2)
        )
    assert (first, other_year) == ("MED-2026-0001", "MED-2027-0001")


def test_the_state_tables_have_an_entry_for_every_status():
    assert PROMISE_STATES.states == set(PromiseStatus)
    assert PLAN_STATES.states == set(PlanStatus)
    assert LEGAL_STATES.states == set(LegalStatus)
    assert issubclass(InvalidState, InvalidTransition)


def test_a_legal_follow_up_does_not_go_back(case, manager):
    action = services.legal_escalate(actor=manager, case=case)
    action = services.legal_update(actor=manager, action=action, status="judgment")
    with pytest.raises(InvalidState):
        services.legal_update(actor=manager, action=action, status="in_progress")
    assert services.legal_update(actor=manager, action=action, status="settled").status == "settled"
    with pytest.raises(InvalidState):
        services.legal_update(actor=manager, action=action, status="closed")


def test_a_canceled_promise_cannot_be_canceled_again(case, manager, clock):
    promise = services.promise_create(actor=manager, case=case, amount=10_000, promised_on=clock)
    services.promise_cancel(actor=manager, promise=promise)
    with pytest.raises(InvalidState):
        services.promise_cancel(actor=manager, promise=promise)
