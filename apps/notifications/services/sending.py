"""Sending: send (one or many), deliver, retry, record delivery receipts, cancel.

Sending checks everything first (template, variables, recipient, channels), then writes
one `Message` per channel in the caller's transaction and hands them to a worker after
commit, on the queue of their priority. The message row is its own outbox: a lost
enqueue is picked up by the periodic release task, and a delivery claims its row first,
so a message is handed to a provider once even when its task runs twice.
"""

from __future__ import annotations

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
@dataclass
class Recipient:
    key: str  # user public id, or the normalised address
    user: object | None = None
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


def _resolve(parsed: list[tuple[str, str]], languages: list[str | None]) -> list[Recipient]:
    """Recipients with their users, preferences, devices and opt-outs: a few queries for
    the whole list, whatever its length."""
    User = get_user_model()
    user_ids = {ref for kind, ref in parsed if kind == "user"}
    users = {
        str(u.public_id): u
        for u in User.objects.filter(public_id__in=user_ids)
        .only("id", "public_id", "email", "preferred_language", "status")
        .annotate(phone_e164=Cast("phone", CharField()))  # the stored E.164, not re-parsed
    }
    pk_list = [u.pk for u in users.values()]
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=pk_list)}
    with_devices = set(
        PushDevice.objects.filter(user_id__in=pk_list).values_list("user_id", flat=True).distinct()
    )
    out: list[Recipient] = []
    for (kind, ref), language in zip(parsed, languages, strict=True):
        if kind == "user":
            user = users.get(ref)
            if user is None:
                raise InvalidRecipient(_("Unknown user."), field="recipient")
            phone = user.phone_e164 or ""
            preference = preferences.get(user.pk)
            recipient = Recipient(
                key=ref,
                user=user,
                phone=phone,
                email=user.email or "",
                language=language or user.preferred_language or "fr",
                zone=(preference.timezone if preference and preference.timezone else "")
                or quiet_hours.zone_for_phone(phone),
                preference=preference,
                has_devices=user.pk in with_devices,
                closed=user.status == "closed",
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


def _prepare(request: SendRequest) -> _Prepared:
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
        reachable = recipient.user is not None and recipient.has_devices and settings.PUSH_BACKEND != "none"
        return "" if reachable else None
    return "" if recipient.user is not None else None


def _window(recipient: Recipient) -> tuple[time, time] | None:
    preference = recipient.preference
    if preference is not None and preference.quiet_hours_start and preference.quiet_hours_end:
        return preference.quiet_hours_start, preference.quiet_hours_end
    return quiet_hours.default_window()


def _build_messages(
    prepared: _Prepared,
    recipient: Recipient,
    overrides: dict,
    opted_out: set[str],
    now: datetime,
    formatted_cache: dict,
) -> tuple[list[Message], list[ChannelOutcome]]:
    template, request = prepared.template, prepared.request
    messages: list[Message] = []
    outcomes: list[ChannelOutcome] = []
    cache_key = (id(prepared), recipient.language, recipient.zone)
    values = formatted_cache.get(cache_key)
    if values is None:
        values = rendering.format_values(
            template, prepared.context, language=recipient.language, tz=recipient.zone
        )
        formatted_cache[cache_key] = values
    shown = rendering.masked(values, template) if template.secret_variables else values
    action_url = prepared.context.get(template.action_url, "") if template.action_url else ""
    for channel in prepared.channels:
        address = _address(recipient, channel)
        if address is None:
            outcomes.append(ChannelOutcome(channel=channel, outcome=Outcome.UNAVAILABLE))
            continue
        text, version = selectors.template_text(template.key, channel, recipient.language, overrides)
        message = Message(
            user=recipient.user,
            recipient_key=recipient.key,
            channel=channel,
            address=address,
            template_key=template.key,
            template_version=version,
            language=recipient.language,
            category=template.category,
            priority=prepared.priority,
            subject=rendering.render(text.subject, shown)[:300],
            body=rendering.render(text.body, shown),
            action_url=action_url,
            idempotency_key=request.idempotency_key or "",
            organization=request.organization or None,
            created_at=now,
            updated_at=now,
        )
        real_body = rendering.render(text.body, values) if template.secret_variables else message.body
        if channel != Channel.INAPP and rendering.placeholders(text.body) & template.secret_variables:
            message.sealed_body = sealing.seal(_final_body(channel, real_body))
        if channel == Channel.SMS:
            message.body = normalize_sms(message.body)
            size: SmsLength = measure(normalize_sms(real_body))
            message.segments, message.encoding = size.segments, size.encoding
        reason = _suppressed(recipient, template, channel, opted_out)
        if reason:
            message.status, message.failure_reason = Message.Status.SUPPRESSED, reason
        elif channel == Channel.INAPP:
            message.status, message.provider = Message.Status.DELIVERED, "inapp"
            message.sent_at = message.delivered_at = now
        elif channel in QUIET_CHANNELS and not template.urgent:
            message.not_before = quiet_hours.release_time(now, recipient.zone, _window(recipient))
        messages.append(message)
    return messages, outcomes


def _final_body(channel: Channel, body: str) -> str:
    return normalize_sms(body) if channel == Channel.SMS else body


def _outcome(message: Message) -> ChannelOutcome:
    if message.status == Message.Status.SUPPRESSED:
        kind = Outcome.SUPPRESSED
    elif message.status == Message.Status.DELIVERED:
        kind = Outcome.DELIVERED
    else:
        kind = Outcome.QUEUED
    return ChannelOutcome(
        channel=Channel(message.channel),
        outcome=kind,
        message_id=str(message.public_id),
        deferred_until=message.not_before.isoformat() if message.not_before else None,
    )


def _insert(messages: list[Message]) -> tuple[list[Message], set[int]]:
    """Insert, skipping those whose idempotency key was already used on that channel for
    that recipient (the unique constraint decides under concurrency). Returns the inserted
    messages and the indexes of the duplicates."""
    keyed = [m for m in messages if m.idempotency_key]
    existing: set[tuple[str, str, str]] = set()
    if keyed:
        existing = set(
            Message.objects.filter(
                idempotency_key__in={m.idempotency_key for m in keyed},
                recipient_key__in={m.recipient_key for m in keyed},
            ).values_list("idempotency_key", "channel", "recipient_key")
        )
    fresh, duplicates, seen = [], set(), set(existing)
    for index, m in enumerate(messages):
        triple = (m.idempotency_key, m.channel, m.recipient_key)
        if m.idempotency_key and triple in seen:
            duplicates.add(index)
            continue
        if m.idempotency_key:
            seen.add(triple)
        fresh.append(m)
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql" and len(fresh) > 200:
                _copy_insert(fresh)
            else:
                Message.objects.bulk_create(fresh, batch_size=2000)
    except IntegrityError:  # a concurrent send with the same key won the race: one by one
        inserted = []
        for m in fresh:
            try:
                with transaction.atomic():
                    m.pk = None
                    m.save(force_insert=True)
                inserted.append(m)
            except IntegrityError:
                duplicates.add(messages.index(m))
        fresh = inserted
    return fresh, duplicates


def _copy_insert(messages: list[Message]) -> None:
    """PostgreSQL COPY for bulk runs (several times faster than INSERT … VALUES for 30
    columns), then the ids of what a worker must pick up."""
    fields = [f for f in Message._meta.concrete_fields if f.name != "id"]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f'COPY "{Message._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for m in messages:
                copy.write_row([getattr(m, f.attname) for f in fields])
    waiting = {m.public_id: m for m in messages if m.status == Message.Status.QUEUED}
    if waiting:
        for pk, public_id in Message.objects.filter(public_id__in=list(waiting)).values_list(
            "id", "public_id"
        ):
            waiting[public_id].pk = pk
    for m in messages:
        m._state.adding = False


def messages_send(requests: list[SendRequest]) -> list[SendResult]:
    """Check every request, then write all their messages (one transaction) and queue them
    after commit. Raises a DomainError (nothing written) if any request is invalid."""
    prepared = [_prepare(r) for r in requests]
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
        formatted_cache: dict = {}
        all_messages: list[Message] = []
        per_request: list[tuple[int, int, list[ChannelOutcome]]] = []
        for p, recipient in zip(prepared, recipients, strict=True):
            built, unavailable = _build_messages(p, recipient, overrides, opted_out, now, formatted_cache)
            per_request.append((len(all_messages), len(built), unavailable))
            all_messages.extend(built)
        inserted, duplicates = _insert(all_messages)
        for p, recipient, (start, count, unavailable) in zip(prepared, recipients, per_request, strict=True):
            outcomes = list(unavailable)
            for index in range(start, start + count):
                m = all_messages[index]
                if index in duplicates:
                    outcomes.append(ChannelOutcome(channel=Channel(m.channel), outcome=Outcome.DUPLICATE))
                else:
                    outcomes.append(_outcome(m))
            order = {c: i for i, c in enumerate(p.channels)}
            outcomes.sort(key=lambda o: order.get(o.channel, 99))
            results.append(
                SendResult(template_key=p.template.key, recipient=recipient.key, outcomes=tuple(outcomes))
            )
        _count(inserted)
        _published([m for m in inserted if m.status == Message.Status.DELIVERED])
        due = defaultdict(list)
        for m in inserted:
            if m.status == Message.Status.QUEUED and m.not_before is None:
                due[Priority(m.priority)].append(m.id)
        if due:
            transaction.on_commit(lambda: enqueue(dict(due)), robust=True)
    return results


def _published(messages: list[Message]) -> None:
    """`notifications.MessageSent` for each message that actually left, in the caller's
    transaction (a message is claimed once, so each is published once)."""
    if messages:
        publish_many(
            [
                MessageSent(
                    message=str(m.public_id),
                    channel=str(m.channel),
                    segments=int(m.segments or 0),
                    template_key=m.template_key,
                    organization=str(m.organization) if m.organization else None,
                )
                for m in messages
            ]
        )


def _count(messages: list[Message]) -> None:
    counts: dict[tuple, int] = defaultdict(int)
    for m in messages:
        if m.status == Message.Status.SUPPRESSED:
            metrics.SUPPRESSED.labels(channel=m.channel).inc()
            continue
        counts[(m.channel, m.priority)] += 1
        if m.status == Message.Status.DELIVERED:
            metrics.DELIVERED.labels(channel=m.channel, provider="inapp").inc()
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
