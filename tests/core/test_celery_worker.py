"""Celery for real: a worker thread consuming the real Redis broker, on the real database."""

import time

import pytest
from celery import shared_task
from django.db import transaction

from apps.core import outbox
from apps.core.context import bind_request, unbind_request
from apps.core.models import OutboxEvent
from tests.core.events_for_tests import PingHappened, handled_count

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@shared_task(name="tests.echo_request_id")
def echo_request_id(value):
    from apps.core.context import get_request_id

    return {"value": value, "request_id": get_request_id()}


@pytest.fixture
def worker(real_celery_worker):
    """The shared real worker (tests/conftest.py): every queue, purged first."""
    yield


def wait_until(predicate, timeout=20.0):
    """Poll (not sleep a fixed time) until the worker has done its part."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_task_round_trip_carries_the_request_id(worker):
    token = bind_request("req-test-0001")
    try:
        result = echo_request_id.delay(41)
    finally:
        unbind_request(token)
    assert result.get(timeout=20) == {"value": 41, "request_id": "req-test-0001"}


def test_outbox_event_reaches_its_handler_once_after_commit(worker):
    with transaction.atomic():
        row = outbox.publish(PingHappened(tag="committed"))
        # Not delivered while the transaction is open.
        assert handled_count("committed") == 0
    assert wait_until(lambda: OutboxEvent.objects.get(id=row.id).status == OutboxEvent.Status.DISPATCHED)
    assert handled_count("committed") == 1
    # A second delivery of the same event (at-least-once) does not run the handler again.
    OutboxEvent.objects.filter(id=row.id).update(status=OutboxEvent.Status.PENDING)
    outbox.dispatch_event.delay(row.id).get(timeout=20)
    assert handled_count("committed") == 1


def test_a_rolled_back_event_is_never_delivered(worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.publish(PingHappened(tag="rolled-back"))
        raise RuntimeError("business rule failed after publishing")
    assert not OutboxEvent.objects.filter(payload__tag="rolled-back").exists()
    # A later committed event goes through the same queue; once it is handled, the worker
    # would have handled the rolled-back one too had it been sent.
    with transaction.atomic():
        later = outbox.publish(PingHappened(tag="after-rollback"))
    # The handler's own transaction commits before the event is marked dispatched: wait
    # for the mark, which comes last.
    assert wait_until(lambda: OutboxEvent.objects.get(id=later.id).status == OutboxEvent.Status.DISPATCHED)
    assert handled_count("after-rollback") == 1
    assert handled_count("rolled-back") == 0
