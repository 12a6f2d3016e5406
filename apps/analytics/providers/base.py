"""The export protocol: what a product-analytics tool (PostHog, Matomo) is given, and how it
fails. Providers are plain HTTP clients (apps.core.http.http_client) called outside any
database transaction (services/export.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

__all__ = ["ExportError", "ExportEvent", "ExportProvider"]


@dataclass(frozen=True)
class ExportEvent:
    event_id: UUID
    name: str
    occurred_at: datetime  # UTC
    user: UUID | None  # the sender's public id, None before sign-in
    anonymous_id: str
    session_id: str
    properties: dict

    @property
    def distinct_id(self) -> str:
        """Who the event belongs to in the tool: the account, else the app's anonymous id,
        else the event itself (a tool refuses an event without one)."""
        return str(self.user) if self.user else (self.anonymous_id or f"event:{self.event_id}")


class ExportError(Exception):
    """The tool did not take the batch. `retryable`: a timeout, a 5xx, a 429 (send the same
    batch again later); otherwise the tool refused it (a wrong key, a malformed batch)."""

    def __init__(self, message: str, *, retryable: bool, status: int | None = None):
        self.retryable = retryable
        self.status = status
        super().__init__(message)


class ExportProvider(Protocol):
    name: str

    def send(self, events: list[ExportEvent]) -> None:
        """Deliver the batch, or raise ExportError. Sending a batch again must be harmless
        (each event carries its id)."""
        ...
