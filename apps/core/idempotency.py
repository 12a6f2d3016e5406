"""Idempotency keys for requests that create things or move money (Stripe-style).

    status, body, replayed = run_idempotent(scope=..., key=..., fingerprint=..., operation=fn)

The record is inserted in the same transaction as the operation. A retry (or a concurrent
double-click) with the same key and the same request gets the first response back; the same
key with a different request is refused (409). If the operation fails, nothing is stored
and the key can be used again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import DomainError, IdempotencyConflict
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
RETENTION = timedelta(days=7)


class InvalidIdempotencyKey(DomainError):
    code = "invalid_idempotency_key"
    default_message = _("The Idempotency-Key header must be 1 to 255 visible characters.")


def _canonical(value):
    """An uploaded file counts by its content, not its name: another file under the same name
    with the same key is another request (409), not a replay."""
    if hasattr(value, "chunks") and hasattr(value, "seek"):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return f"file:{getattr(value, 'name', '')}:{digest.hexdigest()}"
    return str(value)


def _every_value(part):
    """A QueryDict / MultiValueDict (form and multipart bodies) with all its values: json would
    keep only the last one of a repeated field."""
    if hasattr(part, "lists"):
        return {key: values for key, values in part.lists()}
    return part


def fingerprint_of(*parts) -> str:
    parts = [_every_value(part) for part in parts]
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=_canonical)
    return hashlib.sha256(canonical.encode()).hexdigest()


def clean_key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > 255 or not key.isprintable():
        raise InvalidIdempotencyKey(field=HEADER)
    return key


def run_idempotent(
    *, scope: str, key: str, fingerprint: str, operation: Callable[[], tuple[int, object]]
) -> tuple[int, object, bool]:
    """Run `operation` once per (scope, key). Returns (status, body, replayed)."""
    key = clean_key(key)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    scope=scope, key=key, fingerprint=fingerprint, response_status=0
                )
        except IntegrityError:
            # The first request has committed (we waited on the unique index): replay it.
            previous = IdempotencyRecord.objects.get(scope=scope, key=key)
            if previous.fingerprint != fingerprint:
                raise IdempotencyConflict(field=HEADER) from None
            return previous.response_status, previous.response_body, True
        status, body = operation()
        record.response_status = status
        record.response_body = body
        record.save(update_fields=["response_status", "response_body"])
        return status, body, False


def purge_expired(*, older_than: timedelta = RETENTION) -> int:
    deleted, _details = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
