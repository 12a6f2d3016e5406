"""Outbound webhook deliveries.

Handlers (apps/partners/handlers.py, run by the outbox after the payment committed) only
insert Delivery rows; sending is a Celery task. A run:

1. claims due deliveries in a short transaction (`select_for_update(skip_locked=True)`,
   status `sending`, a lease until the send is surely over) and commits;
2. POSTs them with no transaction open (several at once on threads: HTTP only, no database);
3. records the run's attempts (status code, excerpt, duration) in one short transaction, and
   schedules the next one (contracts.RETRY_DELAYS with jitter), or gives up after the last;
   an endpoint whose last PARTNERS_WEBHOOK_DISABLE_AFTER deliveries all gave up is disabled
   and its owners get an e-mail.

A worker that dies mid-send leaves a `sending` row whose lease expires: the next run takes it
again (at-least-once; the receiver deduplicates by the event `id`)."""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.core.http import http_client
from apps.identity import api as identity

from ..contracts import RETRY_DELAYS, RETRY_JITTER, TEST_EVENT
from ..errors import EndpointDisabled
from ..models import Delivery, DeliveryAttempt, WebhookEndpoint
from .endpoints import signing_secrets
from .signing import HEADER, signature_header

logger = logging.getLogger("hokwe.partners")

EXCERPT = 500


# --- the schedule ----------------------------------------------------------------------------


def next_attempt_delay(retry_index: int, *, rng: random.Random | None = None) -> float | None:
    """Seconds before the retry number `retry_index` (0-based), jittered ±RETRY_JITTER; None
    when the schedule is spent."""
    if retry_index >= len(RETRY_DELAYS):
        return None
    base = RETRY_DELAYS[retry_index]
    return base * (1 + (rng or random).uniform(-RETRY_JITTER, RETRY_JITTER))


def retry_schedule() -> list[tuple[int, int]]:
    """[(attempt number, seconds after the first attempt)] without jitter: 1 then the retries."""
    rows, elapsed = [(1, 0)], 0
    for number, delay in enumerate(RETRY_DELAYS, start=2):
        elapsed += delay
        rows.append((number, elapsed))
    return rows


# --- creating deliveries ---------------------------------------------------------------------


def event_id_for(source_event_id: str, event_type: str) -> str:
    """The same webhook event id for every endpoint and every redelivery of one domain event."""
    return "evt_" + uuid.uuid5(uuid.NAMESPACE_URL, f"hokwe:{event_type}:{source_event_id}").hex


def deliveries_create(
    *,
    organization_id: int,
    event_type: str,
    source_event_id: str,
    data: dict,
    created: datetime | None = None,
) -> list[Delivery]:
    """One pending delivery per active endpoint of the organization subscribed to the type
    (idempotent per endpoint and event). Sent after commit when a worker runs tasks."""
    endpoints = WebhookEndpoint.objects.filter(
        organization_id=organization_id, status=WebhookEndpoint.Status.ACTIVE
    )
    wanted = [e for e in endpoints if event_type in (e.events or [])]
    if not wanted:
        return []
    created = created or timezone.now()
    event_id = event_id_for(source_event_id, event_type)
    body = {"id": event_id, "type": event_type, "created": int(created.timestamp()), "data": data}
    body = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
    rows = [
        Delivery(endpoint=e, event_id=event_id, event_type=event_type, payload=body, next_attempt_at=created)
        for e in wanted
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    made = list(Delivery.objects.filter(event_id=event_id, endpoint__in=wanted, attempts=0))
    _enqueue_after_commit([d.pk for d in made])
    return made


def _enqueue_after_commit(ids: list[int]) -> None:
    """After commit, a task per delivery when a worker runs them; with eager tasks (the
    embedded dev profile, most tests) nothing is sent inline: the `partners.deliver_due` beat
    (or a test calling deliver_due) sends them, so a slow endpoint never holds a request."""
    if not ids or settings.CELERY_TASK_ALWAYS_EAGER:
        return

    def enqueue():
        from celery import current_app

        for pk in ids:
            try:
                current_app.send_task("partners.deliver", args=[pk])
            except Exception:  # broker down: the beat run picks it up
                logger.warning("webhook_enqueue_failed", extra={"delivery": pk}, exc_info=True)

    transaction.on_commit(enqueue, robust=True)


# --- sending ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    url: str
    body: bytes
    headers: dict
    number: int  # the attempt number


@dataclass(frozen=True)
class Outcome:
    claimed: Claimed
    started_at: datetime
    duration_ms: int
    status_code: int | None
    excerpt: str
    error: str

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _due(now: datetime):
    return Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Delivery.Status.SENDING, locked_until__lt=now
    )


def claim(*, now: datetime, ids: list[int] | None = None, limit: int = 200) -> list[Claimed]:
    """Take due deliveries for this run (committed before any network call)."""
    lease = now + timedelta(seconds=2 * settings.PARTNERS_WEBHOOK_TIMEOUT_SECONDS + 30)
    with transaction.atomic():
        qs = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(_due(now), endpoint__status=WebhookEndpoint.Status.ACTIVE)
            .order_by("next_attempt_at", "id")
        )
        if ids is not None:
            qs = qs.filter(pk__in=ids)
        rows = list(qs[:limit])
        claimed = []
        for row in rows:
            row.status, row.locked_until, row.attempts = Delivery.Status.SENDING, lease, row.attempts + 1
            body = json.dumps(row.payload, separators=(",", ":"), ensure_ascii=False).encode()
            stamp = int(now.timestamp())
            claimed.append(
                Claimed(
                    delivery_id=row.pk,
                    url=row.endpoint.url,
                    body=body,
                    headers={
                        "Content-Type": "application/json",
                        HEADER: signature_header(signing_secrets(row.endpoint, now), stamp, body),
                        "Hokwe-Event-Id": row.event_id,
                        "Hokwe-Event-Type": row.event_type,
                    },
                    number=row.attempts,
                )
            )
        Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=Delivery.Status.SENDING, locked_until=lease, attempts=F("attempts") + 1
        )
    return claimed


def send(claimed: Claimed, client: httpx.Client) -> Outcome:
    """One POST; never raises, never touches the database."""
    started = timezone.now()
    clock = time.monotonic()
    status_code, excerpt, error = None, "", ""
    try:
        response = client.post(claimed.url, content=claimed.body, headers=claimed.headers)
        status_code = response.status_code
        excerpt = response.text[:EXCERPT]
    except httpx.TimeoutException:
        error = "timeout"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:200]
    return Outcome(
        claimed=claimed,
        started_at=started,
        duration_ms=int((time.monotonic() - clock) * 1000),
        status_code=status_code,
        excerpt=excerpt,
        error=error,
    )


FIELDS = ["status", "last_status_code", "last_error", "locked_until", "delivered_at", "finished_at"]
FIELDS += ["next_attempt_at", "retry_index", "updated_at"]


def _advance(row: Delivery, outcome: Outcome, now: datetime, rng) -> bool:
    """Move a delivery on after an attempt; True when it gave up."""
    row.last_status_code, row.last_error, row.locked_until, row.updated_at = (
        outcome.status_code,
        outcome.error,
        None,
        now,
    )
    if outcome.succeeded:
        row.status, row.delivered_at, row.finished_at = Delivery.Status.SUCCEEDED, now, now
        return False
    delay = next_attempt_delay(row.retry_index, rng=rng)
    if delay is None:
        row.status, row.finished_at, row.next_attempt_at = Delivery.Status.FAILED, now, None
        return True
    row.status, row.next_attempt_at, row.retry_index = (
        Delivery.Status.PENDING,
        now + timedelta(seconds=delay),
        row.retry_index + 1,
    )
    return False


def record_many(
    outcomes: list[Outcome], *, now: datetime, rng: random.Random | None = None
) -> list[Delivery]:
    """Write a run's attempts and move each delivery on (delivered, next retry, or given up),
    in one short transaction: one locking read, one multi-row INSERT, one bulk UPDATE."""
    if not outcomes:
        return []
    with transaction.atomic():
        rows = {
            row.pk: row
            for row in Delivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk__in=[o.claimed.delivery_id for o in outcomes])
        }
        attempts, gave_up = [], {}
        for outcome in outcomes:
            row = rows[outcome.claimed.delivery_id]
            attempts.append(
                DeliveryAttempt(
                    delivery=row,
                    number=outcome.claimed.number,
                    started_at=outcome.started_at,
                    duration_ms=outcome.duration_ms,
                    status_code=outcome.status_code,
                    response_excerpt=outcome.excerpt,
                    error=outcome.error,
                    succeeded=outcome.succeeded,
                )
            )
            if _advance(row, outcome, now, rng):
                gave_up[row.endpoint_id] = row.endpoint
        DeliveryAttempt.objects.bulk_create(attempts)
        _save(list(rows.values()))
        for endpoint in gave_up.values():
            _disable_if_failing(endpoint, now=now)
    return [rows[o.claimed.delivery_id] for o in outcomes]


def _save(rows: list[Delivery]) -> None:
    """Delivered rows share their new values (one UPDATE per status code); a retried row has
    its own jittered time (one small UPDATE each). Django's bulk_update (a CASE per field and
    row) was the run's bottleneck (bench/webhooks.py)."""
    delivered: dict[int | None, list[int]] = {}
    for row in rows:
        if row.status == Delivery.Status.SUCCEEDED:
            delivered.setdefault(row.last_status_code, []).append(row.pk)
        else:
            Delivery.objects.filter(pk=row.pk).update(**{name: getattr(row, name) for name in FIELDS})
    for ids in delivered.values():
        sample = next(r for r in rows if r.pk == ids[0])
        Delivery.objects.filter(pk__in=ids).update(**{name: getattr(sample, name) for name in FIELDS})


def record(outcome: Outcome, *, now: datetime, rng: random.Random | None = None) -> Delivery:
    return record_many([outcome], now=now, rng=rng)[0]


def deliver_due(
    *,
    now: datetime | None = None,
    ids: list[int] | None = None,
    limit: int = 200,
    concurrency: int | None = None,
) -> list[Delivery]:
    """Send what is due (or the given ids when due). Returns the deliveries as recorded."""
    now = now or timezone.now()
    claimed = claim(now=now, ids=ids, limit=limit)
    if not claimed:
        return []
    workers = max(1, min(concurrency or settings.PARTNERS_WEBHOOK_CONCURRENCY, len(claimed)))
    with http_client(
        service="webhooks", timeout=settings.PARTNERS_WEBHOOK_TIMEOUT_SECONDS, retries=0
    ) as client:
        if workers == 1:
            outcomes = [send(c, client) for c in claimed]
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                outcomes = list(pool.map(lambda c: send(c, client), claimed))
    return record_many(outcomes, now=now)


def deliver_one(delivery_id: int, *, now: datetime | None = None) -> Delivery | None:
    done = deliver_due(now=now, ids=[delivery_id], limit=1, concurrency=1)
    return done[0] if done else None


# --- persistent failure ------------------------------------------------------------------------


def _disable_if_failing(endpoint: WebhookEndpoint, *, now: datetime) -> bool:
    """Disable when the last N finished deliveries all gave up and nothing succeeded on the
    endpoint for 3 days; the owners get an e-mail (after commit)."""
    count = settings.PARTNERS_WEBHOOK_DISABLE_AFTER
    last = list(
        Delivery.objects.filter(
            endpoint=endpoint, status__in=[Delivery.Status.SUCCEEDED, Delivery.Status.FAILED]
        )
        .exclude(event_type=TEST_EVENT)
        .order_by("-finished_at", "-id")
        .values_list("status", flat=True)[:count]
    )
    if len(last) < count or any(status != Delivery.Status.FAILED for status in last):
        return False
    if DeliveryAttempt.objects.filter(
        delivery__endpoint=endpoint, succeeded=True, started_at__gte=now - timedelta(days=3)
    ).exists():
        return False
    updated = WebhookEndpoint.objects.filter(pk=endpoint.pk, status=WebhookEndpoint.Status.ACTIVE).update(
        status=WebhookEndpoint.Status.DISABLED, disabled_at=now, disabled_reason="failing"
    )
    if updated:
        transaction.on_commit(lambda: _tell_owners(endpoint.pk), robust=True)
    return bool(updated)


def _tell_owners(endpoint_id: int) -> None:
    from apps.notifications import api as notifications

    from ..messages import WEBHOOK_DISABLED

    endpoint = WebhookEndpoint.objects.get(pk=endpoint_id)
    organization = identity.get_organization(id=endpoint.organization_id)
    for owner in identity.members_of(
        organization_id=endpoint.organization_id, roles=[identity.OrgRole.OWNER]
    ):
        notifications.send(
            owner.public_id,
            WEBHOOK_DISABLED,
            {
                "organization_name": organization.name,
                "url": endpoint.url,
                "count": settings.PARTNERS_WEBHOOK_DISABLE_AFTER,
                "manage_url": _developers_url(),
            },
            channels=["email"],
            idempotency_key=f"partners:webhook_disabled:{endpoint.public_id}:{int(endpoint.disabled_at.timestamp())}",
        )


def _developers_url() -> str:
    from django.urls import reverse

    return f"{settings.PARTNERS_PUBLIC_BASE_URL.rstrip('/')}{reverse('manager:partners-developers')}"


# --- replay and test ---------------------------------------------------------------------------


def delivery_replay(*, actor, delivery: Delivery, now: datetime | None = None) -> Delivery:
    """Send a delivery again (its log keeps every attempt; the schedule starts over)."""
    identity.require(actor, "partners.endpoint.manage", delivery.endpoint.organization_id)
    now = now or timezone.now()
    with transaction.atomic():
        row = Delivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
        if row.endpoint.status != WebhookEndpoint.Status.ACTIVE:
            raise EndpointDisabled()
        if row.status != Delivery.Status.SENDING:
            row.status, row.next_attempt_at, row.retry_index, row.finished_at = (
                Delivery.Status.PENDING,
                now,
                0,
                None,
            )
            row.save()
    _enqueue_after_commit([row.pk])
    return row


def endpoint_send_test(*, actor, endpoint: WebhookEndpoint, now: datetime | None = None) -> Delivery:
    """A `webhook.test` event to this endpoint only, queued like any other."""
    identity.require(actor, "partners.endpoint.manage", endpoint.organization_id)
    if endpoint.status != WebhookEndpoint.Status.ACTIVE:
        raise EndpointDisabled()
    now = now or timezone.now()
    event_id = "evt_" + uuid.uuid4().hex
    organization = identity.get_organization(id=endpoint.organization_id)
    body = {
        "id": event_id,
        "type": TEST_EVENT,
        "created": int(now.timestamp()),
        "data": {"organization_id": str(organization.public_id), "message": "Hokwe test event"},
    }
    row = Delivery.objects.create(
        endpoint=endpoint, event_id=event_id, event_type=TEST_EVENT, payload=body, next_attempt_at=now
    )
    _enqueue_after_commit([row.pk])
    return row
