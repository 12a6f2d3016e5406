"""What every outside delivery system looks like to the notifications module.

Providers raise `ProviderError` for trouble on their side (HTTP 5xx, timeout, bad
credentials, no credit: try the next provider, then retry later) and `RecipientRejected`
when the message itself can never go through (an invalid or blacklisted number: no
failover, the message fails with the reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import httpx


class ProviderError(Exception):
    """The provider could not take the message now. Fail over, then retry later."""

    def __init__(self, reason: str, *, provider: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.provider = provider


class RecipientRejected(Exception):
    """The provider refused this recipient or content for good. Do not retry."""

    def __init__(self, reason: str, *, provider: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.provider = provider


@dataclass(frozen=True)
class Accepted:
    provider_message_id: str


@dataclass(frozen=True)
class DeliveryReport:
    """A provider's delivery receipt, parsed. `status` is ours: sent, delivered or failed."""

    provider_message_id: str
    status: str
    provider_status: str
    reason: str = ""


class SmsProvider(Protocol):
    name: str

    def send(self, *, to: str, body: str, reference: str) -> Accepted:
        """Hand one SMS to the provider. `to` is E.164; `reference` is our message id."""


class PushInvalidToken(Exception):
    """The registration token is no longer valid (app uninstalled, token rotated): prune it."""


class PushProvider(Protocol):
    name: str

    def send(self, *, token: str, title: str, body: str, data: dict[str, str]) -> Accepted:
        """Send one push message to one device; raise PushInvalidToken or ProviderError."""


def describe(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"timeout ({type(exc).__name__})"
    if isinstance(exc, httpx.TransportError):
        return f"connection error ({type(exc).__name__})"
    return str(exc)[:300]
