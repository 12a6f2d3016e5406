"""Conversations around the turn: a rating per answer, the hand-off to a human (a cms
support ticket with the transcript), erasure and retention."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cms import api as cms

from ..errors import InvalidRating, MessageNotFound, NotAnAnswer
from ..models import Message, PreparedAction, Thread
from .assistant import thread_for


@transaction.atomic
def rate(*, actor, message, rating) -> Message:
    if isinstance(rating, bool) or rating not in (1, -1):
        raise InvalidRating(field="rating")
    row = Message.objects.select_for_update().filter(thread__user_id=actor.pk, public_id=message).first()
    if row is None:
        raise MessageNotFound()
    if row.role != Message.Role.ASSISTANT:
        raise NotAnAnswer(field="message")
    row.rating, row.rated_at = rating, timezone.now()
    row.save(update_fields=["rating", "rated_at", "updated_at"])
    return row


def transcript(thread: Thread) -> str:
    lines = []
    for row in thread.messages.filter(role__in=["user", "assistant"]).order_by("id"):
        who = _("You") if row.role == Message.Role.USER else _("Assistant")
        lines.append(f"[{timezone.localtime(row.created_at):%Y-%m-%d %H:%M}] {who}: {row.text}")
    return "\n".join(lines)


def handoff(*, actor, thread) -> Thread:
    """A human takes over: a support ticket with the transcript (once per thread)."""
    thread = thread_for(actor, thread)
    if thread.support_ticket:
        return thread
    ticket, _reference = cms.open_support_ticket(
        user=actor,
        subject=_("Assistant conversation: %(title)s") % {"title": (thread.title or "")[:120]},
        message=transcript(thread) or "—",
        language=thread.language or "fr",
    )
    Thread.objects.filter(pk=thread.pk).update(support_ticket=ticket, updated_at=timezone.now())
    thread.support_ticket = ticket
    return thread


@transaction.atomic
def erase(*, actor, thread) -> None:
    """The conversation and its messages are deleted; its pending actions cancelled."""
    row = thread_for(actor, thread)
    PreparedAction.objects.filter(thread=row, status=PreparedAction.Status.PENDING).update(
        status=PreparedAction.Status.CANCELLED
    )
    row.delete()


def purge_old(*, now=None) -> int:
    """Retention: conversations silent for AI_RETENTION_DAYS are deleted (beat ai.retention)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AI_RETENTION_DAYS)
    stale = Thread.objects.filter(
        Q(last_message_at__lt=cutoff) | Q(last_message_at__isnull=True, created_at__lt=cutoff)
    )
    count, _detail = stale.delete()
    return count
