import pytest
from django.core.management import call_command
from django.db import transaction

from apps.core import outbox
from apps.core.models import HandledEvent, OutboxEvent
from tests.core.events_for_tests import PingHappened, handled_count

pytestmark = pytest.mark.django_db


def test_publish_writes_a_row_and_delivers_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            row = outbox.publish(PingHappened(tag="a"))
            assert handled_count("a") == 0  # nothing is delivered inside the transaction
    assert len(callbacks) == 1
    row.refresh_from_db()
    assert row.status == OutboxEvent.Status.DISPATCHED
    assert handled_count("a") == 1


def test_publish_many_writes_a_batch_and_delivers_each_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            rows = outbox.publish_many(
                [PingHappened(tag="m1"), PingHappened(tag="m2"), PingHappened(tag="m1")]
            )
            assert handled_count("m1") == 0
    assert len(callbacks) == 1  # one task for the batch
    assert {r.status for r in OutboxEvent.objects.filter(id__in=[r.id for r in rows])} == {"dispatched"}
    assert (handled_count("m1"), handled_count("m2")) == (2, 1)
    assert outbox.publish_many([]) == []


def test_a_handler_runs_once_even_when_the_event_is_delivered_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox.publish(PingHappened(tag="b"))
    # Simulate an at-least-once redelivery (e.g. a worker lost its ack): force it pending.
    OutboxEvent.objects.filter(id=row.id).update(status=OutboxEvent.Status.PENDING)
    assert outbox.dispatch(row.id) is True
    assert outbox.dispatch(row.id) is True
    assert handled_count("b") == 1
    assert HandledEvent.objects.filter(event=row).count() == 1


def test_a_failing_handler_is_retried_then_marked_failed(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    row = outbox.publish(PingHappened(tag="c", fail=True))
    with pytest.raises(outbox.DispatchFailed):
        outbox.dispatch(row.id)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxEvent.Status.PENDING, 1)
    assert "handler asked to fail" in row.last_error
    assert outbox.dispatch(row.id) is False
    row.refresh_from_db()
    assert row.status == OutboxEvent.Status.FAILED
    assert not HandledEvent.objects.filter(event=row).exists()  # the failed run left nothing


def test_replay_command_redelivers_pending_and_named_failed_events(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    ok = outbox.publish(PingHappened(tag="d"))
    failed = outbox.publish(PingHappened(tag="e", fail=True))
    assert outbox.dispatch(failed.id) is False  # exhausted
    call_command("outbox_replay")  # eager tasks in the unit-test profile
    ok.refresh_from_db()
    assert ok.status == OutboxEvent.Status.DISPATCHED
    assert handled_count("d") == 1
    call_command("outbox_replay", str(ok.event_id))
    assert handled_count("d") == 1  # replaying a done event runs nothing twice
    failed.refresh_from_db()
    assert failed.status == OutboxEvent.Status.FAILED
    assert failed.attempts == 1


def test_events_must_carry_json_values():
    import datetime

    from tests.core.events_for_tests import PingHappened as P

    with pytest.raises(TypeError, match="non-JSON"):
        outbox.publish(P(tag=datetime.date(2026, 1, 1)))  # type: ignore[arg-type]


# --- the JSON check's fast path, and the two ways publish_many writes ---------------------------

import datetime as _dt  # noqa: E402
import decimal as _decimal  # noqa: E402
import json as _json  # noqa: E402
import uuid as _uuid  # noqa: E402

from django.core.serializers.json import DjangoJSONEncoder  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.text(max_size=8),
        st.floats(allow_nan=True),
        st.uuids(),
        st.dates(),
        st.decimals(allow_nan=False, places=2, max_value=10**6, min_value=-(10**6)),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner, inner),
        st.dictionaries(st.one_of(st.text(max_size=4), st.integers()), inner, max_size=3),
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(tag=_values, fail=_values)
def test_the_json_check_refuses_exactly_what_does_not_read_back_equal(tag, fail):
    """`_encoded` skips the read-back for flat payloads of str/int/bool/None: for any payload
    it accepts or refuses exactly as the full check (dump, load, compare) does."""
    from tests.core.events_for_tests import PingHappened as P

    event = P(tag=tag, fail=fail)  # type: ignore[arg-type]
    payload = {"tag": tag, "fail": fail}
    text = _json.dumps(payload, cls=DjangoJSONEncoder)
    equal = _json.loads(text) == payload
    try:
        got_payload, got_text = outbox._encoded(event)
    except TypeError:
        assert not equal
    else:
        assert equal and (got_payload, got_text) == (payload, text)


@pytest.mark.parametrize("count", [3, outbox.COPY_ABOVE + 5])  # bulk_create, then COPY
def test_publish_many_writes_the_same_rows_either_way(count, django_capture_on_commit_callbacks):
    from tests.core.events_for_tests import PingHappened as P

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        published = outbox.publish_many([P(tag=f"w{i}") for i in range(count)])
    rows = {r.id: r for r in OutboxEvent.objects.filter(id__in=[p.id for p in published])}
    assert len(rows) == count and len(callbacks) == 1
    for i, p in enumerate(published):
        row = rows[p.id]
        assert (row.event_id, row.name, p.name) == (p.event_id, "tests.PingHappened", "tests.PingHappened")
        assert row.payload == {"tag": f"w{i}", "fail": False}
        assert (row.status, row.attempts, row.last_error, row.dispatched_at) == ("pending", 0, "", None)
        assert row.occurred_at is not None
    with pytest.raises(TypeError, match="non-JSON"):  # nothing written for a batch with one bad event
        outbox.publish_many([P(tag="ok"), P(tag=_uuid.uuid4())])  # type: ignore[arg-type]
    for bad in (_dt.date(2026, 1, 1), _decimal.Decimal("1.50"), ("a", "b"), {1: "a"}, float("nan")):
        with pytest.raises(TypeError, match="non-JSON"):
            outbox.publish_many([P(tag=bad)])  # type: ignore[arg-type]
