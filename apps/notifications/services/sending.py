"""Sending: send (one or many), deliver, retry, record delivery receipts, cancel.

Sending checks everything first (template, variables, recipient, channels), then writes
one `Message` per channel in the caller's transaction and hands them to a worker after
commit, on the queue of their priority. The message row is its own outbox: a lost
enqueue is picked up by the periodic release task, and a delivery claims its row first,
so a message is handed to a provider once even when its task runs twice.
"""

from __future__ import annotations

import json
import logging
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import phonenumbers
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, F, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.outbox import publish_many

from .. import catalog, metrics, quiet_hours, rendering, sealing, selectors
from ..contracts import (
    Category,
    Channel,
    ChannelOutcome,
    Outcome,
    Priority,
    SendRequest,
    SendResult,
    TemplateDef,
)
from ..errors import (
    InvalidChannel,
    InvalidInput,
    InvalidPriority,
    InvalidRecipient,
    UnknownTemplate,
)
from ..events import MessageSent
from ..models import AddressOptOut, DeliveryReceipt, Message, Preference, PushDevice
from ..providers import registry
from ..providers.base import DeliveryReport, ProviderError, PushInvalidToken, RecipientRejected
from ..sms_encoding import SmsLength, measure, normalize_sms

logger = logging.getLogger("hokwe.notifications")

MANDATORY_CATEGORIES = {Category.SECURITY}
LANGUAGE_CODES = ("fr", "en")
TASKS = {
    Priority.OTP: ("notifications.deliver_otp", "notifications.otp"),
    Priority.TRANSACTIONAL: ("notifications.deliver", "notifications.transactional"),
    Priority.BULK: ("notifications.deliver_bulk", "notifications.bulk"),
}
QUIET_CHANNELS = {Channel.SMS, Channel.PUSH}


# --- recipients -----------------------------------------------------------------------------
@dataclass(slots=True)
class Recipient:
    key: str  # user public id, or the normalised address
    user_id: int | None = None
    phone: str = ""
    email: str = ""
    language: str = "fr"
    zone: str = ""
    preference: Preference | None = None
    has_devices: bool = False
    closed: bool = False  # a closed account is reached on no channel


def normalize_phone(value: str) -> str:
    """E.164, or raise InvalidRecipient. Local numbers use PHONENUMBER_DEFAULT_REGION."""
    try:
        parsed = phonenumbers.parse(value, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise InvalidRecipient(_("Invalid phone number."), field="recipient")
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidRecipient(_("Invalid phone number."), field="recipient")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _parse_recipient(value) -> tuple[str, str]:
    """-> ("user", uuid) | ("email", address) | ("phone", e164)."""
    User = get_user_model()
    if isinstance(value, User):
        return "user", str(value.public_id)
    if isinstance(value, uuid.UUID):
        return "user", str(value)
    if not isinstance(value, str) or not value.strip():
        raise InvalidRecipient(field="recipient")
    value = value.strip()
    try:
        return "user", str(uuid.UUID(value))
    except ValueError:
        pass
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise InvalidRecipient(_("Invalid e-mail address."), field="recipient")
        return "email", value.lower()
    return "phone", normalize_phone(value)


def _values(values, cast: str):
    """The right-hand side of an `__in` filter over a chunk: on PostgreSQL one JSON parameter
    the server unnests (binding 2,000 parameters one by one on the client cost more than the
    query itself), elsewhere the plain list."""
    values = list(values)
    if connection.vendor != "postgresql":
        return values
    return RawSQL(f"SELECT (jsonb_array_elements_text(%s::jsonb))::{cast}", [json.dumps(values)])  # noqa: S611


def _resolve(parsed: list[tuple[str, str]], languages: list[str | None]) -> list[Recipient]:
    """Recipients with their users, preferences, devices and opt-outs: a few queries for
    the whole list, whatever its length (plain rows: no model instance per user)."""
    User = get_user_model()
    user_ids = {ref for kind, ref in parsed if kind == "user"}
    users = {
        str(public_id): (pk, email, language, status, phone)
        for pk, public_id, email, language, status, phone in User.objects.filter(
            public_id__in=_values(user_ids, "uuid")
        )
        .annotate(phone_e164=Cast("phone", CharField()))  # the stored E.164, not re-parsed
        .values_list("id", "public_id", "email", "preferred_language", "status", "phone_e164")
    }
    pk_list = [row[0] for row in users.values()]
    preferences = (
        {p.user_id: p for p in Preference.objects.filter(user_id__in=_values(pk_list, "bigint"))}
        if pk_list
        else {}
    )
    with_devices = (
        set(
            PushDevice.objects.filter(user_id__in=_values(pk_list, "bigint"))
            .values_list("user_id", flat=True)
            .distinct()
        )
        if pk_list
        else set()
    )
    out: list[Recipient] = []
    for (kind, ref), language in zip(parsed, languages, strict=True):
        if kind == "user":
            row = users.get(ref)
            if row is None:
                raise InvalidRecipient(_("Unknown user."), field="recipient")
            pk, email, preferred, status, phone = row
            phone = phone or ""
            preference = preferences.get(pk)
            recipient = Recipient(
                key=ref,
                user_id=pk,
                phone=phone,
                email=email or "",
                language=language or preferred or "fr",
                zone=(preference.timezone if preference and preference.timezone else "")
                or quiet_hours.zone_for_phone(phone),
                preference=preference,
                has_devices=pk in with_devices,
                closed=status == "closed",
            )
        else:
            recipient = Recipient(
                key=ref,
                phone=ref if kind == "phone" else "",
                email=ref if kind == "email" else "",
                language=language or "fr",
                zone=quiet_hours.zone_for_phone(ref if kind == "phone" else ""),
            )
        if recipient.language not in LANGUAGE_CODES:
            recipient.language = "fr"
        out.append(recipient)
    return out


# --- sending --------------------------------------------------------------------------------
@dataclass
class _Prepared:
    request: SendRequest
    template: TemplateDef
    priority: Priority
    channels: tuple[Channel, ...]
    context: dict


def _prepare(request: SendRequest, memo: dict | None = None) -> _Prepared:
    """Check one request. `memo` keeps, for a chunk, what depends only on the template key,
    channels and priority (checked once, the same errors for the same input)."""
    shape = (request.template_key, request.channels, request.priority)
    try:
        known = memo.get(shape) if memo is not None else None
    except TypeError:  # channels given as a list: checked without the memo
        memo, known = None, None
    if known is None:
        known = _prepare_shape(request)
        if memo is not None:
            memo[shape] = known
    template, priority, channels = known
    if not isinstance(request.idempotency_key, str) or len(request.idempotency_key) > 200:
        raise InvalidInput(
            _("The idempotency key must be a text of 200 characters at most."), field="idempotency_key"
        )
    if request.organization is not None:
        try:
            uuid.UUID(str(request.organization))
        except ValueError:
            raise InvalidInput(_("The organization must be a public id."), field="organization") from None
    context = rendering.validate_context(template, request.context)
    return _Prepared(
        request=request, template=template, priority=priority, channels=channels, context=context
    )


def _prepare_shape(request: SendRequest) -> tuple[TemplateDef, Priority, tuple[Channel, ...]]:
    template = catalog.get(request.template_key)
    if template is None:
        raise UnknownTemplate(
            _("Unknown notification template %(key)s.") % {"key": request.template_key}, field="template_key"
        )
    try:
        priority = Priority(request.priority or template.priority)
    except ValueError:
        raise InvalidPriority(field="priority")
    if template.priority == Priority.OTP:
        priority = Priority.OTP  # a code always travels on the OTP queue
    elif priority == Priority.OTP:
        raise InvalidPriority(_("Only one-time codes use the OTP priority."), field="priority")
    channels = request.channels or template.channels
    try:
        channels = tuple(dict.fromkeys(Channel(c) for c in channels))
    except ValueError:
        raise InvalidChannel(field="channels")
    for channel in channels:
        if channel not in template.defaults:
            raise InvalidChannel(
                _("%(key)s has no %(channel)s text.") % {"key": template.key, "channel": channel},
                field="channels",
            )
    return template, priority, channels


def _suppressed(recipient: Recipient, template: TemplateDef, channel: Channel, opted_out: set[str]) -> str:
    """Why the recipient's choices exclude this message on this channel ('' if they don't)."""
    if template.category in MANDATORY_CATEGORIES:
        return ""
    if template.category == Category.MARKETING:
        if recipient.preference is not None and recipient.preference.marketing_opt_out:
            return "marketing opt-out"
        if {recipient.phone, recipient.email} & opted_out:
            return "address opted out of marketing"
    if recipient.preference is not None and channel in recipient.preference.disabled.get(
        template.category, []
    ):
        return f"{channel} turned off for {template.category}"
    return ""


def _address(recipient: Recipient, channel: Channel) -> str | None:
    """The address on this channel, '' for user-bound channels, None when unreachable."""
    if recipient.closed:
        return None
    if channel == Channel.SMS:
        return recipient.phone or None
    if channel == Channel.EMAIL:
        return recipient.email or None
    if channel == Channel.PUSH:
        reachable = (
            recipient.user_id is not None and recipient.has_devices and settings.PUSH_BACKEND != "none"
        )
        return "" if reachable else None
    return "" if recipient.user_id is not None else None


def _window(recipient: Recipient, default: tuple[time, time] | None) -> tuple[time, time] | None:
    preference = recipient.preference
    if preference is not None and preference.quiet_hours_start and preference.quiet_hours_end:
        return preference.quiet_hours_start, preference.quiet_hours_end
    return default


# A message is written as one row of these columns (the table's, in this order): the bulk
# path hands the tuples to COPY, the ORM path makes them Message instances.
ROW = (
    "id",
    "public_id",
    "created_at",
    "updated_at",
    "user_id",
    "recipient_key",
    "channel",
    "address",
    "template_key",
    "template_version",
    "language",
    "category",
    "priority",
    "subject",
    "body",
    "sealed_body",
    "action_url",
    "status",
    "failure_reason",
    "last_error",
    "provider",
    "provider_message_id",
    "attempts",
    "not_before",
    "idempotency_key",
    "segments",
    "organization",
    "encoding",
    "sent_at",
    "delivered_at",
    "failed_at",
    "read_at",
)
assert set(ROW) == {f.attname for f in Message._meta.concrete_fields}, "Message columns changed: update ROW"
(
    _ID,
    _PUBLIC_ID,
    _CREATED,
    _UPDATED,
    _USER,
    _RECIPIENT,
    _CHANNEL,
    _ADDRESS,
    _TEMPLATE,
    _VERSION,
    _LANGUAGE,
    _CATEGORY,
    _PRIORITY,
    _SUBJECT,
    _BODY,
    _SEALED,
    _ACTION_URL,
    _STATUS,
    _FAILURE,
    _LAST_ERROR,
    _PROVIDER,
    _PROVIDER_ID,
    _ATTEMPTS,
    _NOT_BEFORE,
    _KEY,
    _SEGMENTS,
    _ORGANIZATION,
    _ENCODING,
    _SENT_AT,
    _DELIVERED_AT,
    _FAILED_AT,
    _READ_AT,
) = range(len(ROW))
QUEUED, DELIVERED, SUPPRESSED = Message.Status.QUEUED, Message.Status.DELIVERED, Message.Status.SUPPRESSED


class _Builder:
    """Builds the rows of one chunk. Everything that depends only on the template, channel
    and language (the text, its version, its split form) or on the recipient's zone and
    window (the end of quiet hours) is computed once per chunk, not per message."""

    def __init__(self, overrides: dict, opted_out: set[str], now: datetime):
        self.overrides, self.opted_out, self.now = overrides, opted_out, now
        self.texts: dict[tuple, tuple] = {}
        self.releases: dict[tuple, datetime | None] = {}
        self.default_window = quiet_hours.default_window()

    def _text(self, template: TemplateDef, channel: Channel, language: str) -> tuple:
        key = (template.key, channel, language)
        text = self.texts.get(key)
        if text is None:
            found, version = selectors.template_text(template.key, channel, language, self.overrides)
            secret_body = bool(rendering.placeholders(found.body) & template.secret_variables)
            text = self.texts[key] = (found, version, secret_body)
        return text

    def _release(self, recipient: Recipient) -> datetime | None:
        window = _window(recipient, self.default_window)
        key = (recipient.zone, window)
        if key not in self.releases:
            self.releases[key] = quiet_hours.release_time(self.now, recipient.zone, window)
        return self.releases[key]

    def add(self, prepared: _Prepared, recipient: Recipient, rows: list[list]) -> list[ChannelOutcome]:
        """Append this request's rows; return the outcomes of its unreachable channels."""
        template, request, now = prepared.template, prepared.request, self.now
        values = rendering.format_values(
            template, prepared.context, language=recipient.language, tz=recipient.zone
        )
        secret = bool(template.secret_variables)
        shown = rendering.masked(values, template) if secret else values
        action_url = prepared.context.get(template.action_url, "") if template.action_url else ""
        unavailable: list[ChannelOutcome] = []
        for channel in prepared.channels:
            address = _address(recipient, channel)
            if address is None:
                unavailable.append(ChannelOutcome(channel=channel, outcome=Outcome.UNAVAILABLE))
                continue
            text, version, secret_body = self._text(template, channel, recipient.language)
            subject = rendering.render(text.subject, shown)[:300] if text.subject else ""
            body = rendering.render(text.body, shown)
            real_body = rendering.render(text.body, values) if secret else body
            sealed = ""
            if channel != Channel.INAPP and secret_body:
                sealed = sealing.seal(_final_body(channel, real_body))
            segments, encoding = 0, ""
            if channel == Channel.SMS:
                body = normalize_sms(body)
                size: SmsLength = measure(normalize_sms(real_body) if secret else body)
                segments, encoding = size.segments, size.encoding
            status, reason, provider, delivered, not_before = QUEUED, "", "", None, None
            reason = _suppressed(recipient, template, channel, self.opted_out)
            if reason:
                status = SUPPRESSED
            elif channel == Channel.INAPP:
                status, provider, delivered = DELIVERED, "inapp", now
            elif channel in QUIET_CHANNELS and not template.urgent:
                not_before = self._release(recipient)
            rows.append(
                [
                    None,
                    uuid.uuid4(),
                    now,
                    now,
                    recipient.user_id,
                    recipient.key,
                    channel,
                    address,
                    template.key,
                    version,
                    recipient.language,
                    template.category,
                    prepared.priority,
                    subject,
                    body,
                    sealed,
                    action_url,
                    status,
                    reason,
                    "",
                    provider,
                    "",
                    0,
                    not_before,
                    request.idempotency_key or "",
                    segments,
                    request.organization or None,
                    encoding,
                    delivered,
                    delivered,
                    None,
                    None,
                ]
            )
        return unavailable


def _final_body(channel: Channel, body: str) -> str:
    return normalize_sms(body) if channel == Channel.SMS else body


def _outcome(row: list) -> ChannelOutcome:
    status = row[_STATUS]
    if status == SUPPRESSED:
        kind = Outcome.SUPPRESSED
    elif status == DELIVERED:
        kind = Outcome.DELIVERED
    else:
        kind = Outcome.QUEUED
    return ChannelOutcome(
        channel=Channel(row[_CHANNEL]),
        outcome=kind,
        message_id=str(row[_PUBLIC_ID]),
        deferred_until=row[_NOT_BEFORE].isoformat() if row[_NOT_BEFORE] else None,
    )


def _message(row: list) -> Message:
    return Message(**{name: value for name, value in zip(ROW[1:], row[1:], strict=True)})


def _existing(rows: list[list]) -> set[tuple[str, str, str]]:
    """(idempotency key, channel, recipient) already written among these rows' keys."""
    keys = {row[_KEY] for row in rows}
    recipients = {row[_RECIPIENT] for row in rows}
    if connection.vendor == "postgresql":  # two JSON parameters, not one per key
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT "idempotency_key", "channel", "recipient_key" FROM "{Message._meta.db_table}" '  # noqa: S608
                'WHERE "idempotency_key" = ANY(ARRAY(SELECT jsonb_array_elements_text(%s::jsonb))) '
                'AND "recipient_key" = ANY(ARRAY(SELECT jsonb_array_elements_text(%s::jsonb))) '
                "AND \"idempotency_key\" <> ''",
                [json.dumps(list(keys)), json.dumps(list(recipients))],
            )
            return set(cursor.fetchall())
    return set(
        Message.objects.filter(idempotency_key__in=keys, recipient_key__in=recipients).values_list(
            "idempotency_key", "channel", "recipient_key"
        )
    )


def _insert(rows: list[list]) -> tuple[list[list], set[int]]:
    """Insert, skipping those whose idempotency key was already used on that channel for
    that recipient (the unique constraint decides under concurrency). Returns the inserted
    rows (their ids set) and the indexes of the duplicates."""
    keyed = [row for row in rows if row[_KEY]]
    existing = _existing(keyed) if keyed else set()
    fresh: list[tuple[int, list]] = []
    duplicates: set[int] = set()
    seen = set(existing)
    for index, row in enumerate(rows):
        if row[_KEY]:
            triple = (row[_KEY], row[_CHANNEL], row[_RECIPIENT])
            if triple in seen:
                duplicates.add(index)
                continue
            seen.add(triple)
        fresh.append((index, row))
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql" and len(fresh) > 200:
                _copy_insert([row for _index, row in fresh])
            else:
                messages = Message.objects.bulk_create(
                    [_message(row) for _index, row in fresh], batch_size=2000
                )
                for (_index, row), message in zip(fresh, messages, strict=True):
                    row[_ID] = message.pk
    except IntegrityError:  # a concurrent send with the same key won the race: one by one
        inserted = []
        for index, row in fresh:
            try:
                with transaction.atomic():
                    message = _message(row)
                    message.save(force_insert=True)
                row[_ID] = message.pk
                inserted.append((index, row))
            except IntegrityError:
                duplicates.add(index)
        fresh = inserted
    return [row for _index, row in fresh], duplicates


def _copy_insert(rows: list[list]) -> None:
    """PostgreSQL COPY for bulk runs (several times faster than INSERT … VALUES for 30
    columns), the rows written as built; their ids are taken from the table's sequence
    first, one query for the chunk."""
    table = Message._meta.db_table
    column = {f.attname: f.column for f in Message._meta.concrete_fields}
    columns = ", ".join(f'"{column[name]}"' for name in ROW)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(rows)]
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row[_ID] = pk
        with cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
            write = copy.write_row
            for row in rows:
                write(row)


def messages_send(requests: list[SendRequest]) -> list[SendResult]:
    """Check every request, then write all their messages (one transaction) and queue them
    after commit. Raises a DomainError (nothing written) if any request is invalid."""
    memo: dict = {}
    prepared = [_prepare(r, memo) for r in requests]
    parsed = [_parse_recipient(r.recipient) for r in requests]
    now = timezone.now()
    results: list[SendResult] = []
    with transaction.atomic():
        recipients = _resolve(parsed, [r.language for r in requests])
        overrides = selectors.template_overrides({p.template.key for p in prepared})
        marketing = [
            r for p, r in zip(prepared, recipients, strict=True) if p.template.category == Category.MARKETING
        ]
        opted_out = (
            set(
                AddressOptOut.objects.filter(
                    address__in={a for r in marketing for a in (r.phone, r.email) if a}
                ).values_list("address", flat=True)
            )
            if marketing
            else set()
        )
        builder = _Builder(overrides, opted_out, now)
        rows: list[list] = []
        per_request: list[tuple[int, int, list[ChannelOutcome]]] = []
        for p, recipient in zip(prepared, recipients, strict=True):
            start = len(rows)
            unavailable = builder.add(p, recipient, rows)
            per_request.append((start, len(rows) - start, unavailable))
        inserted, duplicates = _insert(rows)
        for p, recipient, (start, count, unavailable) in zip(prepared, recipients, per_request, strict=True):
            outcomes = list(unavailable)
            for index in range(start, start + count):
                row = rows[index]
                if index in duplicates:
                    outcomes.append(ChannelOutcome(channel=Channel(row[_CHANNEL]), outcome=Outcome.DUPLICATE))
                else:
                    outcomes.append(_outcome(row))
            if len(outcomes) > 1:
                order = {c: i for i, c in enumerate(p.channels)}
                outcomes.sort(key=lambda o: order.get(o.channel, 99))
            results.append(
                SendResult(template_key=p.template.key, recipient=recipient.key, outcomes=tuple(outcomes))
            )
        _count(inserted)
        delivered = [row for row in inserted if row[_STATUS] == DELIVERED]
        if delivered:
            publish_many(
                [
                    _sent_event(
                        row[_PUBLIC_ID], row[_CHANNEL], row[_SEGMENTS], row[_TEMPLATE], row[_ORGANIZATION]
                    )
                    for row in delivered
                ]
            )
        due = defaultdict(list)
        for row in inserted:
            if row[_STATUS] == QUEUED and row[_NOT_BEFORE] is None:
                due[Priority(row[_PRIORITY])].append(row[_ID])
        if due:
            transaction.on_commit(lambda: enqueue(dict(due)), robust=True)
    return results


def _sent_event(public_id, channel, segments, template_key: str, organization) -> MessageSent:
    return MessageSent(
        message=str(public_id),
        channel=str(channel),
        segments=int(segments or 0),
        template_key=template_key,
        organization=str(organization) if organization else None,
    )


def _published(messages: list[Message]) -> None:
    """`notifications.MessageSent` for each message that actually left, in the caller's
    transaction (a message is claimed once, so each is published once)."""
    if messages:
        publish_many(
            [
                _sent_event(m.public_id, m.channel, m.segments, m.template_key, m.organization)
                for m in messages
            ]
        )


def _count(rows: list[list]) -> None:
    counts: dict[tuple, int] = defaultdict(int)
    suppressed: dict[str, int] = defaultdict(int)
    delivered: dict[str, int] = defaultdict(int)
    for row in rows:
        channel = row[_CHANNEL]
        if row[_STATUS] == SUPPRESSED:
            suppressed[channel] += 1
            continue
        counts[(channel, row[_PRIORITY])] += 1
        if row[_STATUS] == DELIVERED:
            delivered[channel] += 1
    for channel, n in suppressed.items():
        metrics.SUPPRESSED.labels(channel=channel).inc(n)
    for channel, n in delivered.items():
        metrics.DELIVERED.labels(channel=channel, provider="inapp").inc(n)
    for (channel, priority), n in counts.items():
        metrics.QUEUED.labels(channel=channel, priority=priority).inc(n)


def enqueue(ids_by_priority: dict[Priority, list[int]], *, countdown: float | None = None) -> None:
    """Hand message ids to the workers, on their priority's queue, in batches. In eager mode
    (dev, unit tests) deliver in-process instead. A failed enqueue loses nothing: the
    release task finds queued messages nobody picked up."""
    from celery import current_app  # the worker side lives in tasks.py, found by name

    eager = current_app.conf.task_always_eager
    for priority, ids in ids_by_priority.items():
        size = 1 if priority == Priority.OTP else settings.NOTIFICATIONS_BATCH_SIZE
        for start in range(0, len(ids), size):
            batch = ids[start : start + size]
            if eager:
                if countdown is None:
                    messages_deliver(message_ids=batch)
                continue  # eager retries wait for the release task
            task, queue = TASKS[Priority(priority)]
            try:
                current_app.send_task(task, args=[batch], queue=queue, countdown=countdown)
            except Exception:  # broker down: the release task re-enqueues them
                logger.warning("notifications_enqueue_failed", extra={"count": len(batch)}, exc_info=True)


# --- delivery -------------------------------------------------------------------------------
def _backoff(attempts: int) -> float:
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    capped = min(base, settings.NOTIFICATIONS_RETRY_MAX_SECONDS)
    return capped * random.uniform(0.8, 1.2)  # noqa: S311 -- jitter, not security


def messages_deliver(*, message_ids: list[int]) -> dict[str, int]:
    """Deliver queued, due messages among `message_ids`. Each row is claimed first (a second
    run of the same task finds nothing to do). Returns counts by resulting status."""
    now = timezone.now()
    with transaction.atomic():
        claimed = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(id__in=message_ids, status=Message.Status.QUEUED)
            .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
            .values_list("id", flat=True)
        )
        if not claimed:
            return {}
        Message.objects.filter(id__in=claimed).update(
            status=Message.Status.SENDING, attempts=F("attempts") + 1, updated_at=now
        )
    messages = list(Message.objects.filter(id__in=claimed))
    for message in messages:
        try:
            _deliver_one(message)
        except Exception as exc:
            logger.exception("notification_delivery_crashed", extra={"message_id": str(message.public_id)})
            _retry_later(message, f"{type(exc).__name__}: {exc}")
    with transaction.atomic():  # the new statuses and their MessageSent events together
        Message.objects.bulk_update(
            messages,
            [
                "status",
                "provider",
                "provider_message_id",
                "sent_at",
                "failed_at",
                "failure_reason",
                "last_error",
                "not_before",
                "sealed_body",
                "updated_at",
            ],
            batch_size=1000,
        )
        _published([m for m in messages if m.status in (Message.Status.SENT, Message.Status.DELIVERED)])
    retry: dict[Priority, list[Message]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for m in messages:
        counts[m.status] += 1
        if m.status == Message.Status.QUEUED:
            retry[Priority(m.priority)].append(m)
    for priority, waiting in retry.items():
        delay = max((m.not_before - timezone.now()).total_seconds() for m in waiting)
        enqueue({priority: [m.id for m in waiting]}, countdown=max(delay, 0.0))
    return dict(counts)


def _deliver_one(message: Message) -> None:
    now = timezone.now()
    message.updated_at = now
    if message.sealed_body:
        try:
            body = sealing.unseal(message.sealed_body, otp=message.priority == Priority.OTP)
        except sealing.InvalidToken:
            _fail(message, "expired before it could be sent", provider=message.provider or "")
            return
    else:
        body = message.body
    try:
        if message.channel == Channel.SMS:
            _send_sms(message, body)
        elif message.channel == Channel.EMAIL:
            accepted = registry.email_provider().send(
                to=message.address,
                subject=message.subject,
                text=body,
                language=message.language,
                reference=str(message.public_id),
            )
            _sent(message, "email", accepted.provider_message_id)
        elif message.channel == Channel.PUSH:
            _send_push(message, body)
        else:
            _sent(message, "inapp", "")
    except RecipientRejected as exc:
        _fail(message, exc.reason, provider=exc.provider)
    except ProviderError as exc:
        _retry_later(message, f"{exc.provider}: {exc.reason}")


def _sent(message: Message, provider: str, provider_message_id: str) -> None:
    now = timezone.now()
    message.status = Message.Status.SENT
    message.provider, message.provider_message_id = provider, provider_message_id[:200]
    message.sent_at, message.sealed_body, message.not_before = now, "", None
    metrics.SENT.labels(channel=message.channel, provider=provider).inc()
    if message.priority == Priority.OTP:
        metrics.OTP_LATENCY.observe((now - message.created_at).total_seconds())


def _fail(message: Message, reason: str, *, provider: str) -> None:
    message.status = Message.Status.FAILED
    message.failure_reason = reason[:500]
    message.failed_at, message.sealed_body, message.not_before = timezone.now(), "", None
    if provider:
        message.provider = provider
    metrics.FAILED.labels(channel=message.channel, provider=message.provider or "none").inc()


def _retry_later(message: Message, error: str) -> None:
    """Keep the message queued for a later attempt (exponential backoff), or give up after
    NOTIFICATIONS_MAX_ATTEMPTS."""
    message.last_error = error[:1000]
    if message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        # The failure reason is for staff reading the delivery log: kept in English.
        _fail(message, f"gave up after {message.attempts} attempts: {error}", provider="")
        return
    message.status = Message.Status.QUEUED
    message.not_before = timezone.now() + timedelta(seconds=_backoff(message.attempts))


def _send_sms(message: Message, body: str) -> None:
    errors = []
    for name in registry.sms_chain(message.address):
        for _attempt in range(settings.SMS_PROVIDER_TRIES):
            try:
                provider = registry.sms_provider(name)
                accepted = provider.send(to=message.address, body=body, reference=str(message.public_id))
            except ProviderError as exc:
                metrics.PROVIDER_ERRORS.labels(channel="sms", provider=name).inc()
                errors.append(f"{name}: {exc.reason}")
                logger.warning("sms_provider_failed", extra={"provider": name, "reason": exc.reason})
                continue
            except RecipientRejected as exc:
                exc.provider = exc.provider or name
                raise
            metrics.SMS_PROVIDERS_DOWN.set(0)
            _sent(message, name, accepted.provider_message_id)
            return
    metrics.SMS_ALL_PROVIDERS_FAILED.inc()
    metrics.SMS_PROVIDERS_DOWN.set(1)
    logger.error("sms_all_providers_failed", extra={"message_id": str(message.public_id), "errors": errors})
    raise ProviderError("; ".join(errors) or "no SMS provider", provider="sms")


def _send_push(message: Message, body: str) -> None:
    devices = list(PushDevice.objects.filter(user_id=message.user_id))
    if not devices:
        _fail(message, "no push device", provider="")
        return
    provider = registry.push_provider()
    data = {"message_id": str(message.public_id), "template": message.template_key}
    if message.action_url:
        data["url"] = message.action_url
    accepted, transient, dead = [], [], []
    for device in devices:
        try:
            accepted.append(provider.send(token=device.token, title=message.subject, body=body, data=data))
        except PushInvalidToken:
            dead.append(device.pk)
        except ProviderError as exc:
            metrics.PROVIDER_ERRORS.labels(channel="push", provider=provider.name).inc()
            transient.append(exc.reason)
    if dead:
        PushDevice.objects.filter(pk__in=dead).delete()
        metrics.PRUNED_DEVICES.inc(len(dead))
    if accepted:
        _sent(message, provider.name, accepted[0].provider_message_id)
    elif transient:
        raise ProviderError("; ".join(transient), provider=provider.name)
    else:
        _fail(message, "every device token was invalid (pruned)", provider=provider.name)


def messages_release_due(*, limit: int = 5000) -> int:
    """Queue what is due: quiet-hours deferrals that ended, retries whose backoff passed,
    and messages whose enqueue was lost. Also frees rows stuck in 'sending' (worker lost)."""
    now = timezone.now()
    Message.objects.filter(
        status=Message.Status.SENDING,
        updated_at__lt=now - timedelta(seconds=settings.NOTIFICATIONS_STUCK_AFTER_SECONDS),
    ).update(status=Message.Status.QUEUED, updated_at=now)
    grace = now - timedelta(seconds=settings.NOTIFICATIONS_RELEASE_GRACE_SECONDS)
    rows = list(
        Message.objects.filter(status=Message.Status.QUEUED)
        .filter(
            Q(not_before__lte=grace)
            | Q(not_before__isnull=True, created_at__lte=grace)
            | Q(not_before__lte=now, attempts=0)
        )
        .order_by("not_before", "id")
        .values_list("id", "priority")[:limit]
    )
    due = defaultdict(list)
    for pk, priority in rows:
        due[Priority(priority)].append(pk)
    enqueue(dict(due))
    return len(rows)


def messages_requeue(*, message_ids: list[int]) -> int:
    """Staff: send failed messages again (not one-time codes, whose body is gone)."""
    count = (
        Message.objects.filter(id__in=message_ids, status=Message.Status.FAILED, sealed_body="")
        .exclude(priority=Priority.OTP)
        .update(
            status=Message.Status.QUEUED,
            not_before=None,
            failure_reason="",
            attempts=0,
            updated_at=timezone.now(),
        )
    )
    return count


# --- delivery receipts ----------------------------------------------------------------------
def receipt_record(*, provider: str, report: DeliveryReport, payload: dict) -> bool:
    """Apply a verified delivery report once. Returns False for a duplicate."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .filter(provider=provider, provider_message_id=report.provider_message_id)
            .first()
            if report.provider_message_id
            else None
        )
        try:
            with transaction.atomic():
                DeliveryReceipt.objects.create(
                    provider=provider,
                    provider_message_id=report.provider_message_id[:200],
                    status=report.provider_status[:64],
                    message=message,
                    payload=payload,
                )
        except IntegrityError:
            return False
        if message is None:
            logger.warning("delivery_receipt_unknown_message", extra={"provider": provider})
            return True
        now = timezone.now()
        if report.status == "delivered" and message.status in (Message.Status.SENT, Message.Status.SENDING):
            message.status, message.delivered_at = Message.Status.DELIVERED, now
            metrics.DELIVERED.labels(channel=message.channel, provider=provider).inc()
        elif report.status == "failed" and message.status in (Message.Status.SENT, Message.Status.SENDING):
            message.status, message.failed_at = Message.Status.FAILED, now
            message.failure_reason = (report.reason or report.provider_status)[:500]
            metrics.FAILED.labels(channel=message.channel, provider=provider).inc()
        else:
            return True
        message.save(update_fields=["status", "delivered_at", "failed_at", "failure_reason", "updated_at"])
    return True


# --- account closure ------------------------------------------------------------------------
@transaction.atomic
def messages_cancel(*, idempotency_key_prefix: str, reason: str) -> int:
    """Withdraw the messages not yet handed to a provider whose idempotency key starts with
    the prefix (a reminder made moot by a payment). A message a worker already claimed is
    past recall; the claim and this update exclude each other on the row."""
    if len(idempotency_key_prefix) < 8:
        raise InvalidInput(field="idempotency_key_prefix")
    return Message.objects.filter(
        status=Message.Status.QUEUED, idempotency_key__startswith=idempotency_key_prefix
    ).update(
        status=Message.Status.SUPPRESSED,
        failure_reason=f"canceled: {reason}"[:500],
        sealed_body="",
        updated_at=timezone.now(),
    )
