"""PUBLIC: the events notifications publishes (through the outbox, after commit)."""

from __future__ import annotations

from dataclasses import dataclass

from apps.core.events import DomainEvent


@dataclass(frozen=True)
class MessageSent(DomainEvent):
    """A message actually left (a provider accepted it, or an in-app message reached the
    inbox): once per message. `segments` is the number of SMS parts (0 on other channels),
    what an SMS is billed by; `organization` the public id of the organization that sent it
    (None for Hokwe's own messages). Billing meters its usage from it."""

    name = "notifications.MessageSent"

    message: str
    channel: str
    segments: int
    template_key: str
    organization: str | None
