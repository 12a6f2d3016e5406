"""The export of product events to PostHog or Matomo (docs/analytics.md, « Export »).

Each provider has a cursor: the last event sent, in the order events were received
(received_at, event_id). A run:
1. takes the cursor's lease in a short transaction, and commits (one run at a time; a run
   that crashed is taken over after ANALYTICS_EXPORT_LEASE_SECONDS);
2. reads the next batch after the cursor (events received at least
   ANALYTICS_EXPORT_SETTLE_SECONDS ago, so a batch still committing is not skipped);
3. sends it with no transaction open;
4. moves the cursor past it in a new short transaction, if it still holds the lease.
So each event goes out once; a crash between 3 and 4 sends that batch again, which PostHog
deduplicates by the event's uuid. A refusal stops the run with the cursor where it was, the
error is kept on the cursor, and the task retries later."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import ExportCursor, ProductEvent
from ..providers.base import ExportError, ExportEvent, ExportProvider

MAX_BATCHES_PER_RUN = 20


def export_provider() -> ExportProvider | None:
    """The provider ANALYTICS_EXPORT_PROVIDER names (None for "none")."""
    name = (settings.ANALYTICS_EXPORT_PROVIDER or "none").strip().lower()
    timeout = settings.ANALYTICS_EXPORT_HTTP_TIMEOUT_SECONDS
    if name == "posthog":
        from ..providers.posthog import PostHogExporter

        return PostHogExporter(
            url=settings.ANALYTICS_POSTHOG_URL, api_key=settings.ANALYTICS_POSTHOG_API_KEY, timeout=timeout
        )
    if name == "matomo":
        from ..providers.matomo import MatomoExporter

        return MatomoExporter(
            url=settings.ANALYTICS_MATOMO_URL,
            site_id=settings.ANALYTICS_MATOMO_SITE_ID,
            token=settings.ANALYTICS_MATOMO_TOKEN,
            timeout=timeout,
        )
    return None


def _lease(name: str, now) -> uuid.UUID | None:
    with transaction.atomic():
        cursor, _created = ExportCursor.objects.select_for_update().get_or_create(provider=name)
        if cursor.lease_token and cursor.leased_until and cursor.leased_until > now:
            return None
        cursor.lease_token = uuid.uuid4()
        cursor.leased_until = now + timedelta(seconds=settings.ANALYTICS_EXPORT_LEASE_SECONDS)
        cursor.save(update_fields=["lease_token", "leased_until", "updated_at"])
        return cursor.lease_token


def _batch(name: str, now, size: int) -> list[ProductEvent]:
    cursor = ExportCursor.objects.get(provider=name)
    qs = ProductEvent.objects.filter(
        received_at__lte=now - timedelta(seconds=settings.ANALYTICS_EXPORT_SETTLE_SECONDS)
    )
    if cursor.received_at is not None:
        qs = qs.filter(
            Q(received_at__gt=cursor.received_at)
            | Q(received_at=cursor.received_at, event_id__gt=cursor.event_id)
        )
    return list(qs.order_by("received_at", "event_id")[:size])


def _advance(name: str, token: uuid.UUID, last: ProductEvent, count: int) -> bool:
    with transaction.atomic():
        cursor = ExportCursor.objects.select_for_update().get(provider=name)
        if cursor.lease_token != token:
            return False  # the lease was taken over: that run moves the cursor
        cursor.received_at, cursor.event_id = last.received_at, last.event_id
        cursor.exported += count
        cursor.last_error = ""
        cursor.leased_until = timezone.now() + timedelta(seconds=settings.ANALYTICS_EXPORT_LEASE_SECONDS)
        cursor.save()
        return True


def _release(name: str, token: uuid.UUID, error: str = "") -> None:
    with transaction.atomic():
        cursor = ExportCursor.objects.select_for_update().get(provider=name)
        if error:
            cursor.last_error = error[:2000]
        if cursor.lease_token == token:
            cursor.lease_token = None
            cursor.leased_until = None
        cursor.save()


def _export_event(row: ProductEvent) -> ExportEvent:
    return ExportEvent(
        event_id=row.event_id,
        name=row.name,
        occurred_at=row.occurred_at,
        user=row.user,
        anonymous_id=row.anonymous_id,
        session_id=row.session_id,
        properties=row.properties or {},
    )


def events_export(*, provider: ExportProvider | None = None, now=None, batch_size: int | None = None) -> dict:
    """Send the events not sent yet (at most MAX_BATCHES_PER_RUN batches). Raises ExportError
    when the tool refuses or is unreachable (the cursor stays where it was)."""
    provider = provider or export_provider()
    if provider is None:
        return {"provider": "none", "sent": 0}
    now = now or timezone.now()
    size = batch_size or settings.ANALYTICS_EXPORT_BATCH_SIZE
    token = _lease(provider.name, now)
    if token is None:
        return {"provider": provider.name, "sent": 0, "busy": True}
    sent = 0
    try:
        for _ in range(MAX_BATCHES_PER_RUN):
            rows = _batch(provider.name, now, size)
            if not rows:
                break
            provider.send([_export_event(r) for r in rows])  # no transaction open here
            if not _advance(provider.name, token, rows[-1], len(rows)):
                break
            sent += len(rows)
            if len(rows) < size:
                break
    except ExportError as exc:
        _release(provider.name, token, error=str(exc))
        raise
    _release(provider.name, token)
    return {"provider": provider.name, "sent": sent}
