"""HokweAI's reads, always the caller's own."""

from __future__ import annotations

from uuid import UUID

from .errors import ActionNotFound, ThreadNotFound
from .models import Message, PreparedAction, Thread


def _uuid(value):
    try:
        return UUID(str(value))
    except ValueError:
        return None


def threads_of(actor):
    return Thread.objects.filter(user_id=actor.pk).order_by("-last_message_at", "-id")


def thread_of(actor, public_id) -> Thread:
    row = (
        Thread.objects.filter(user_id=actor.pk, public_id=_uuid(public_id)).first()
        if _uuid(public_id)
        else None
    )
    if row is None:
        raise ThreadNotFound()
    return row


def messages_of(thread: Thread, *, limit: int = 200):
    return list(
        Message.objects.filter(thread=thread, role__in=["user", "assistant"]).order_by("-id")[:limit]
    )[::-1]


def action_of(actor, public_id) -> PreparedAction:
    key = _uuid(public_id)
    row = PreparedAction.objects.filter(user_id=actor.pk, public_id=key).first() if key else None
    if row is None:
        raise ActionNotFound()
    return row
