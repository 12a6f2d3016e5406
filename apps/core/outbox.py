"""The transactional outbox: publish inside the caller's transaction, dispatch after commit.

    publish(SomethingHappened(...))   # inside transaction.atomic(): one INSERT, no I/O

After the transaction commits, a Celery task delivers the event to every registered
handler. Delivery is at-least-once (the sweep re-enqueues what was not dispatched);
each (event, handler) pair is recorded in the handler's own transaction, so a handler's
effects happen once. An event whose transaction rolls back never existed.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import Counter as Tally
from datetime import timedelta
from typing import NamedTuple

from celery import shared_task
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from prometheus_client import Counter

from . import events as registry
from .context import get_request_id
from .models import HandledEvent, OutboxEvent

logger = logging.getLogger("hokwe.outbox")

EVENTS_PUBLISHED = Counter("hokwe_outbox_events_published_total", "Events written to the outbox", ["name"])
HANDLER_RUNS = Counter("hokwe_outbox_handler_runs_total", "Outbox handler executions", ["handler", "outcome"])
EVENTS_FAILED = Counter(
    "hokwe_outbox_events_failed_total", "Events that exhausted their delivery attempts", ["name"]
)


_ENCODER = DjangoJSONEncoder()  # one encoder for every payload (json.dumps(cls=…) builds one a call)
_SCALARS = frozenset({str, int, bool, type(None)})  # what JSON gives back equal, always


def _encoded(event: registry.DomainEvent) -> tuple[dict, str]:
    """The event's payload and its JSON text; refused (TypeError) unless the JSON reads back
    equal (a UUID, a date, a Decimal or a tuple would come back as something else). A flat
    payload of strings, integers, booleans and None is equal by construction: only the
    others are read back to check."""
    payload = event.to_payload()
    encoded = _ENCODER.encode(payload)
    flat = all(type(value) in _SCALARS for value in payload.values()) and all(
        type(key) is str for key in payload
    )
    if not flat and json.loads(encoded) != payload:
        raise TypeError(f"{event.name} carries non-JSON values; use str/int/bool/None/list/dict")
    return payload, encoded


def publish(event: registry.DomainEvent) -> OutboxEvent:
    """Write `event` to the outbox in the current transaction; enqueue it after commit."""
    payload, _encoded_text = _encoded(event)
    row = OutboxEvent.objects.create(name=event.name, payload=payload, request_id=get_request_id() or "")
    EVENTS_PUBLISHED.labels(name=event.name).inc()
    transaction.on_commit(lambda: enqueue(row.id), robust=True)
    return row


class Published(NamedTuple):
    """An event publish_many wrote: its outbox row's id, its event id and its name."""

    id: int
    event_id: uuid.UUID
    name: str


def publish_many(events: list[registry.DomainEvent], *, batch_size: int = 1000) -> list[Published]:
    """publish() for a batch (one INSERT per `batch_size` events, or one COPY on PostgreSQL
    above COPY_ABOVE; one task per batch after commit): a daily run that opens 20,000 cases
    writes one COPY, not 20,000 INSERTs. Returns what was written (no model instance per
    event: building 20,000 OutboxEvent instances cost more than writing them)."""
    events = list(events)  # read more than once below: a generator is welcome too
    if not events:
        return []
    encoded = [_encoded(event) for event in events]
    request_id = get_request_id() or ""
    if connection.vendor == "postgresql" and len(events) > COPY_ABOVE:
        published = _copy_rows(events, [text for _payload, text in encoded], request_id)
    else:
        rows = OutboxEvent.objects.bulk_create(
            [
                OutboxEvent(name=event.name, payload=payload, request_id=request_id)
                for event, (payload, _text) in zip(events, encoded, strict=True)
            ],
            batch_size=batch_size,
        )
        published = [Published(row.id, row.event_id, row.name) for row in rows]
    for name, count in Tally(event.name for event in events).items():
        EVENTS_PUBLISHED.labels(name=name).inc(count)
    for start in range(0, len(published), batch_size):
        ids = [row.id for row in published[start : start + batch_size]]
        transaction.on_commit(lambda ids=ids: enqueue_many(ids), robust=True)
    return published


COPY_ABOVE = 200  # events: a larger batch is written with COPY on PostgreSQL


def _copy_rows(events: list[registry.DomainEvent], texts: list[str], request_id: str) -> list[Published]:
    """PostgreSQL COPY for a large batch (a bulk run's events: bulk_create binds every value
    on the client, which cost more than the write); the ids are taken from the table's
    sequence first, one query for the batch. The same rows as bulk_create writes."""
    table = OutboxEvent._meta.db_table
    now = timezone.now()
    columns = (
        "id",
        "event_id",
        "name",
        "payload",
        "request_id",
        "status",
        "attempts",
        "last_error",
        "occurred_at",
    )
    pending = OutboxEvent.Status.PENDING.value
    published = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(events)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        names = ", ".join(f'"{OutboxEvent._meta.get_field(name).column}"' for name in columns)
        with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            write = copy.write_row
            for pk, event, text in zip(ids, events, texts, strict=True):
                event_id = uuid.uuid4()
                write((pk, event_id, event.name, text, request_id, pending, 0, "", now))
                published.append(Published(pk, event_id, event.name))
    return published


def enqueue_many(outbox_ids: list[int]) -> None:
    try:
        dispatch_events.delay(outbox_ids)
    except Exception:  # broker down: the sweep will pick the events up
        logger.warning("outbox_enqueue_failed", extra={"outbox_ids": len(outbox_ids)}, exc_info=True)


def enqueue(outbox_id: int) -> None:
    try:
        dispatch_event.delay(outbox_id)
    except Exception:  # broker down: the sweep will pick the event up
        logger.warning("outbox_enqueue_failed", extra={"outbox_id": outbox_id}, exc_info=True)


class DispatchFailed(Exception):
    pass


def dispatch(outbox_id: int) -> bool:
    """Deliver one event to its handlers. Returns True when fully dispatched; raises
    DispatchFailed when a handler failed (the caller retries)."""
    event_row = OutboxEvent.objects.filter(id=outbox_id).first()
    if event_row is None or event_row.status != OutboxEvent.Status.PENDING:
        return event_row is not None
    event = registry.event_type(event_row.name)(**event_row.payload)
    errors = []
    for handler in registry.handlers_for(event_row.name):
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        HandledEvent.objects.create(event=event_row, handler=handler.key)
                except IntegrityError:
                    continue  # another delivery already ran this handler
                handler.func(event, event_id=str(event_row.event_id))
            HANDLER_RUNS.labels(handler=handler.key, outcome="ok").inc()
        except Exception as exc:  # one failing handler does not block the others
            HANDLER_RUNS.labels(handler=handler.key, outcome="error").inc()
            logger.exception("outbox_handler_failed", extra={"handler": handler.key, "event": event_row.name})
            errors.append(f"{handler.key}: {exc!r}")

    now = timezone.now()
    if not errors:
        OutboxEvent.objects.filter(id=outbox_id).update(
            status=OutboxEvent.Status.DISPATCHED, dispatched_at=now, last_error=""
        )
        return True
    attempts = event_row.attempts + 1
    exhausted = attempts >= settings.OUTBOX_MAX_ATTEMPTS
    OutboxEvent.objects.filter(id=outbox_id).update(
        attempts=attempts,
        last_error="\n".join(errors)[:4000],
        status=OutboxEvent.Status.FAILED if exhausted else OutboxEvent.Status.PENDING,
    )
    if exhausted:
        EVENTS_FAILED.labels(name=event_row.name).inc()
        logger.error("outbox_event_failed", extra={"event": event_row.name, "outbox_id": outbox_id})
        return False
    raise DispatchFailed("; ".join(errors))


def pending_ids(*, older_than_seconds: int | None = None, limit: int = 1000) -> list[int]:
    """Events not yet dispatched (for the sweep and the replay command)."""
    qs = OutboxEvent.objects.filter(status=OutboxEvent.Status.PENDING)
    if older_than_seconds is not None:
        qs = qs.filter(occurred_at__lt=timezone.now() - timedelta(seconds=older_than_seconds))
    return list(qs.order_by("occurred_at").values_list("id", flat=True)[:limit])


def replay(
    *, event_ids: list[str] | None = None, name: str | None = None, include_failed: bool = False
) -> int:
    """Re-enqueue events. Handlers that already completed an event are not run again."""
    statuses = [OutboxEvent.Status.PENDING] + ([OutboxEvent.Status.FAILED] if include_failed else [])
    qs = OutboxEvent.objects.all()
    if event_ids:
        qs = qs.filter(event_id__in=event_ids)
        statuses.append(OutboxEvent.Status.FAILED)
    if name:
        qs = qs.filter(name=name)
    qs = qs.filter(status__in=statuses)
    ids = list(qs.order_by("occurred_at").values_list("id", flat=True))
    OutboxEvent.objects.filter(id__in=ids).update(status=OutboxEvent.Status.PENDING, attempts=0)
    for outbox_id in ids:
        enqueue(outbox_id)
    return len(ids)


@shared_task(
    name="core.dispatch_event",
    autoretry_for=(DispatchFailed,),
    retry_backoff=2,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=None,  # the outbox counts attempts itself (OUTBOX_MAX_ATTEMPTS)
)
def dispatch_event(outbox_id: int) -> bool:
    """Celery task: deliver one outbox event (defined here so publishers need no tasks import)."""
    return dispatch(outbox_id)


@shared_task(name="core.dispatch_events")
def dispatch_events(outbox_ids: list[int]) -> int:
    """Celery task: deliver a batch of outbox events (publish_many); an event whose handler
    fails goes on to its own retried task."""
    done = 0
    for outbox_id in outbox_ids:
        try:
            done += bool(dispatch(outbox_id))
        except DispatchFailed:
            enqueue(outbox_id)
    return done
