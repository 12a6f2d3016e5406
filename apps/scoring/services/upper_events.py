"""Rescoring on the events of modules above scoring (lending's loan events): scoring cannot
import their events (lower never imports higher), so their handlers call
`scoring.api.rescore_users` with the event's id and name after commit. Once per event, like
scoring's own handlers (services.scores.rescore_for_event records the event id)."""

from __future__ import annotations

from .scores import rescore_for_event

__all__ = ["rescore_users"]


def rescore_users(user_ids, *, event_id: str, event_name: str) -> int:
    """Rescore the users an event touched, once per `event_id` (0 for a repeat)."""
    return rescore_for_event(list(user_ids), event_id=str(event_id), event_name=event_name)
