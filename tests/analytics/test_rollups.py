"""Rollups: facts in, figures out, each event once (docs/analytics.md, « Rollups »)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.analytics import selectors
from apps.analytics.models import AppliedEvent, Drift, Rollup
from apps.analytics.services.nightly import (
    check_drift,
    prune_applied,
    reconcile_ledger,
    repair_drift,
    snapshot_day,
)
from apps.analytics.services.rollups import apply_facts
from apps.core.kpis import Fact
from apps.core.models import OutboxEvent
from apps.core.outbox import dispatch, pending_ids
from tests.fixtures.estate import open_dues as open_dues_of

ORG = uuid.UUID("11111111-1111-4111-8111-111111111111")
PROP = uuid.UUID("22222222-2222-4222-8222-222222222222")
OWNER = uuid.UUID("33333333-3333-4333-8333-333333333333")
DAY = date(2026, 3, 14)


def _collected(value: int, day: date = DAY, **extra) -> Fact:
    return Fact("rent.collected", organization=str(ORG), day=day, value=value, currency="XOF", **extra)


def _row(**key) -> Rollup:
    return Rollup.objects.get(organization=ORG, metric=key.pop("metric", "rent.collected"), **key)


@pytest.mark.django_db
def test_a_fact_adds_to_its_organization_property_and_owner_by_day_and_month():
    applied = apply_facts(
        [
            (
                uuid.uuid4(),
                "estate.RentPaymentApplied",
                [_collected(50_000, property=str(PROP), owner=str(OWNER))],
            )
        ]
    )
    assert applied == 1
    assert Rollup.objects.count() == 6  # 3 scopes x (day, month)
    assert _row(scope="org", scope_id=ORG, grain="d", period=DAY).value == 50_000
    assert _row(scope="property", scope_id=PROP, grain="m", period=date(2026, 3, 1)).value == 50_000
    assert _row(scope="owner", scope_id=OWNER, grain="m", period=date(2026, 3, 1)).count == 1


@pytest.mark.django_db
def test_the_same_event_twice_counts_once_in_one_batch_and_across_batches():
    event_id = uuid.uuid4()
    assert apply_facts([(event_id, "x", [_collected(10_000)]), (event_id, "x", [_collected(10_000)])]) == 1
    assert apply_facts([(event_id, "x", [_collected(10_000)])]) == 0
    assert _row(scope="org", scope_id=ORG, grain="m", period=date(2026, 3, 1)).value == 10_000


@pytest.mark.django_db
def test_a_gauge_keeps_the_last_value_of_its_day_and_has_no_month_row():
    for value in (30_000, 20_000):
        apply_facts(
            [
                (
                    uuid.uuid4(),
                    "snapshot",
                    [
                        Fact(
                            "arrears.balance",
                            organization=str(ORG),
                            day=DAY,
                            value=value,
                            currency="XOF",
                            dimension="0-30",
                        )
                    ],
                )
            ]
        )
    assert _row(metric="arrears.balance", scope="org", scope_id=ORG, grain="d", period=DAY).value == 20_000
    assert not Rollup.objects.filter(metric="arrears.balance", grain="m").exists()
    day, cells = selectors.gauge(ORG, "arrears.balance", day=DAY + timedelta(days=3))
    assert day == DAY and cells == {("0-30", "XOF"): (20_000, 1)}


@pytest.mark.django_db
def test_a_float_amount_is_refused_and_nothing_is_written():
    bad = Fact("rent.collected", organization=str(ORG), day=DAY, value=10.5, currency="XOF")
    with pytest.raises(TypeError):
        apply_facts([(uuid.uuid4(), "x", [_collected(1_000), bad])])
    assert not Rollup.objects.exists() and not AppliedEvent.objects.exists()


@pytest.mark.django_db
def test_an_unknown_metric_is_refused():
    with pytest.raises(KeyError):
        apply_facts([(uuid.uuid4(), "x", [Fact("nope.nothing", organization=str(ORG), day=DAY)])])


EVENT_IDS = [uuid.UUID(int=i + 1) for i in range(6)]


@pytest.mark.django_db(transaction=False)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    batches=st.lists(
        st.lists(
            st.tuples(
                st.sampled_from(range(6)), st.integers(1, 1_000_000), st.sampled_from([DAY, date(2026, 4, 2)])
            ),
            min_size=0,
            max_size=6,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_batches_with_repeats_sum_each_event_once(batches):
    Rollup.objects.all().delete()
    AppliedEvent.objects.all().delete()
    first: dict[int, tuple[int, date]] = {}
    for batch in batches:
        apply_facts([(EVENT_IDS[i], "x", [_collected(v, day=d)]) for i, v, d in batch])
        for i, v, d in batch:
            first.setdefault(i, (v, d))
    expected_total = sum(v for v, _d in first.values())
    months = Rollup.objects.filter(scope="org", grain="m", metric="rent.collected")
    days = Rollup.objects.filter(scope="org", grain="d", metric="rent.collected")
    assert sum(r.value for r in months) == expected_total == sum(r.value for r in days)
    assert sum(r.count for r in months) == len(first)


# --- from the modules' events, through the outbox ---------------------------------------------


def _deliver() -> None:
    """Every event still in the outbox (the fixtures' own writes ran outside an on-commit
    capture), delivered as the worker would."""
    for outbox_id in pending_ids():
        dispatch(outbox_id)


def _org_value(org, metric: str, **filters) -> int:
    return sum(
        Rollup.objects.filter(organization=org, scope="org", grain="m", metric=metric, **filters).values_list(
            "value", flat=True
        )
    )


@pytest.mark.django_db
def test_estate_events_keep_the_agency_figures(estate_paid_due):
    world = estate_paid_due
    _deliver()
    org = world.agency.public_id
    paid = world.paid_due
    assert _org_value(org, "rent.collected", dimension="bank_transfer") == world.payment.amount
    assert _org_value(org, "leases.signed") == 0  # counts, no money
    assert Rollup.objects.get(organization=org, scope="org", grain="m", metric="leases.signed").count == 1
    # the due paid in full the day after its due date, with no grace: within 30 days, not on time
    assert _org_value(org, "rent.paid_within_30") == paid.outstanding
    assert _org_value(org, "rent.paid_on_time") == 0
    # by property and owner too
    prop = world.property
    assert Rollup.objects.filter(scope="property", scope_id=prop.public_id, metric="rent.collected").exists()
    assert Rollup.objects.filter(
        scope="owner", scope_id=prop.owner.public_id, metric="rent.collected"
    ).exists()


@pytest.mark.django_db
def test_an_event_handled_twice_counts_once(estate_paid_due):
    from apps.analytics.handlers import _rollup_handler
    from apps.analytics.services.registry import kpis
    from apps.core.events import event_type

    org = estate_paid_due.agency.public_id
    before = _org_value(org, "rent.collected")
    row = OutboxEvent.objects.filter(name="estate.RentPaymentApplied").latest("id")
    event = event_type(row.name)(**row.payload)
    handler = _rollup_handler(row.name, kpis().sources[row.name])
    handler(event, event_id=str(row.event_id))  # a second delivery that went around the outbox
    assert dispatch(row.id) is True  # and the outbox again
    assert _org_value(org, "rent.collected") == before


@pytest.mark.django_db
def test_the_night_snapshots_once_and_finds_no_drift_when_figures_match(estate_paid_due):
    world = estate_paid_due
    _deliver()
    org = world.agency.public_id
    today = date.today()
    assert snapshot_day(today) >= 1
    assert snapshot_day(today) == 0  # run again: nothing added
    total = Rollup.objects.get(
        organization=org, scope="org", grain="d", period=today, metric="units.total_days"
    )
    occupied = Rollup.objects.get(
        organization=org, scope="org", grain="d", period=today, metric="units.occupied_days"
    )
    assert (total.value, occupied.value) == (1, 1)
    day, arrears = selectors.gauge(org, "arrears.balance", day=today)
    assert day == today and sum(v for v, _c in arrears.values()) > 0  # the second due is late
    for d in {world.paid_due.due_date, world.payment.received_on}:
        assert check_drift(d) == 0
    assert not Drift.objects.exists()


@pytest.mark.django_db
def test_a_drifting_figure_is_reported_then_repaired(estate_paid_due):
    world = estate_paid_due
    _deliver()
    org = world.agency.public_id
    day = world.payment.received_on
    Rollup.objects.filter(
        organization=org, scope="org", grain="d", period=day, metric="rent.collected"
    ).update(value=1)
    assert check_drift(day) == 1
    drift = Drift.objects.get()
    assert (drift.metric, drift.rollup_value, drift.source_value) == (
        "rent.collected",
        1,
        world.payment.amount,
    )
    repair_drift(drift)
    assert check_drift(day) == 0
    assert Rollup.objects.get(
        organization=org, scope="org", grain="d", period=day, metric="rent.collected"
    ).value == (world.payment.amount)
    assert Drift.objects.get().repaired_at is not None


@pytest.mark.django_db
def test_what_tenants_owe_reconciles_to_the_ledger_and_a_difference_is_reported(estate_paid_due):
    from django.db.models import F

    from apps.estate.models import RentDue

    world = estate_paid_due
    _deliver()
    org = world.agency.public_id
    today = date.today()
    snapshot_day(today)
    kept = Rollup.objects.get(
        organization=org, scope="org", grain="d", period=today, metric="dues.receivable"
    )
    assert kept.value == sum(d.outstanding for d in open_dues_of(world.lease)) > 0
    assert reconcile_ledger(today) == 0
    # the rows move without the ledger (what a bug or a manual edit would do): reported
    due = RentDue.objects.filter(lease=world.lease, paid=0).first()
    RentDue.objects.filter(pk=due.pk).update(paid=F("paid") + 1_000)
    tomorrow = today + timedelta(days=1)
    snapshot_day(tomorrow)
    assert reconcile_ledger(tomorrow) == 1
    drift = Drift.objects.get(day=tomorrow)
    assert (drift.metric, drift.dimension) == ("dues.receivable", "ledger")
    assert drift.source_value - drift.rollup_value == 1_000
    assert repair_drift(drift).repaired_at is None  # the ledger side is for finance to look at


@pytest.mark.django_db
def test_old_applied_event_ids_are_pruned():
    from django.utils import timezone

    apply_facts([(uuid.uuid4(), "x", [_collected(1)])])
    assert prune_applied(now=timezone.now()) == 0
    assert prune_applied(now=timezone.now() + timedelta(days=400)) == 1
