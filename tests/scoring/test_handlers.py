"""Events rescore the users they touch, once per event: the Celery task records the
event id with the rescore; a second delivery changes nothing."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache

from apps.core.models import OutboxEvent
from apps.scoring import handlers, tasks
from apps.scoring.models import ProcessedEvent, Score, ScoreHistory
from apps.scoring.services import scores
from tests.fixtures.estate import pay_rent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_task_rescores_once_per_event(rent_history, django_capture_on_commit_callbacks):
    tenant = str(rent_history.tenant.public_id)
    event_id = str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.rescore_for_event.delay([tenant], event_id, "estate.RentDuePaid").get()
        second = tasks.rescore_for_event.delay([tenant], event_id, "estate.RentDuePaid").get()
    assert (first, second) == (1, 0)
    assert ProcessedEvent.objects.filter(event_id=event_id).count() == 1
    assert ScoreHistory.objects.filter(user=rent_history.tenant).count() == 1
    assert ScoreHistory.objects.get(user=rent_history.tenant).trigger == "estate.RentDuePaid"
    assert cache.get(scores.cache_key(tenant)) is not None


def test_an_event_handled_twice_changes_the_score_once(rent_history, django_capture_on_commit_callbacks):
    """The same RentPaymentApplied delivered twice (the outbox is at-least-once): one rescore.
    A later, different event with new facts changes it again."""
    from apps.estate.events import RentPaymentApplied

    lease = rent_history.lease
    event = RentPaymentApplied(
        payment_id=str(uuid.uuid4()),
        lease_id=str(lease.public_id),
        organization_id=str(rent_history.agency.public_id),
        amount=1000,
        currency="XOF",
        method="cash",
        received_on=rent_history.as_of.isoformat(),
        outstanding=0,
    )
    event_id = str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        handlers.rescore_on_payment(event, event_id=event_id)
    with django_capture_on_commit_callbacks(execute=True):
        handlers.rescore_on_payment(event, event_id=event_id)
    assert ProcessedEvent.objects.filter(event_id=event_id).count() == 1
    assert ScoreHistory.objects.filter(user=rent_history.tenant).count() == 1
    before = Score.objects.get(user=rent_history.tenant).score

    owed = sum(d.total for d in rent_history.dues[11:]) - rent_history.dues[11].total // 2
    with django_capture_on_commit_callbacks(execute=True):
        pay_rent(rent_history.manager, lease, owed, received_on=rent_history.as_of, reference="ALL")
    assert Score.objects.get(user=rent_history.tenant).score > before
    assert ScoreHistory.objects.filter(user=rent_history.tenant).count() == 2


def test_a_payment_published_by_estate_rescores_its_tenant(rent_history, django_capture_on_commit_callbacks):
    """The whole path: estate publishes RentPaymentApplied, the outbox dispatches it, scoring's
    handler hands the tenant to the task."""
    with django_capture_on_commit_callbacks(execute=True):
        pay_rent(
            rent_history.manager, rent_history.lease, 1000, received_on=rent_history.as_of, reference="X"
        )
    outbox = OutboxEvent.objects.filter(name="estate.RentPaymentApplied").latest("id")
    processed = ProcessedEvent.objects.get(event_id=outbox.event_id)
    assert processed.user_id == rent_history.tenant.pk
    assert Score.objects.filter(user=rent_history.tenant).exists()


def test_recovery_and_wallet_events_name_their_user(rent_history, django_capture_on_commit_callbacks):
    from apps.recovery.events import PromiseBroken
    from apps.wallet.events import SavingStreak

    tenant = str(rent_history.tenant.public_id)
    broken = PromiseBroken(
        case_id=str(uuid.uuid4()),
        organization_id=str(rent_history.agency.public_id),
        tenant_id=tenant,
        promise_id=str(uuid.uuid4()),
        amount=5000,
        currency="XOF",
        promised_on=rent_history.as_of.isoformat(),
        broken_promises=1,
    )
    streak = SavingStreak(
        plan_id=str(uuid.uuid4()),
        user_id=tenant,
        lease_id=str(rent_history.lease.public_id),
        due_id=str(uuid.uuid4()),
        streak=4,
        amount=20000,
        target=80000,
        currency="XOF",
        on=rent_history.as_of.isoformat(),
    )
    ids = [str(uuid.uuid4()), str(uuid.uuid4())]
    with django_capture_on_commit_callbacks(execute=True):
        handlers.rescore_on_promise_broken(broken, event_id=ids[0])
        handlers.rescore_on_saving_streak(streak, event_id=ids[1])
    assert set(ProcessedEvent.objects.values_list("event_id", flat=True)) == {uuid.UUID(i) for i in ids}
    assert Score.objects.filter(user=rent_history.tenant).count() == 1


def test_an_event_without_a_known_user_does_nothing(db, django_capture_on_commit_callbacks):
    assert scores.rescore_for_event([str(uuid.uuid4())], event_id=str(uuid.uuid4()), event_name="x") == 0
    assert not Score.objects.exists()
