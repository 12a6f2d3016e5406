"""The provider protocol and the values crossing it. A provider starts a check with the
person's data and decrypted documents, fetches a check's result from its own API, and
verifies its callbacks (a forged callback raises CallbackRejected). Results are always
confirmed with the provider's API before anything changes: a callback only says "look"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class Outcome(StrEnum):
    CLEAR = "clear"  # the provider verified the person
    CONSIDER = "consider"  # the provider found a problem: staff decide
    PENDING = "pending"  # not finished


@dataclass(frozen=True)
class ProviderDocument:
    kind: str
    side: str
    content_type: str
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class CheckRequest:
    reference: str  # our submission public id (hex), echoed back by the provider
    user_reference: str  # our user public id (hex)
    target_tier: int
    country: str
    first_name: str
    last_name: str
    date_of_birth: str  # ISO date or ""
    id_number: str
    documents: tuple[ProviderDocument, ...]


@dataclass(frozen=True)
class CheckStarted:
    reference: str  # the provider's id for the check
    summary: str = ""


@dataclass(frozen=True)
class CheckResult:
    reference: str
    outcome: Outcome
    summary: str = ""


@dataclass(frozen=True)
class CallbackEvent:
    reference: str  # the provider's check reference the callback is about
    event_key: str  # unique per delivery: recorded once


class ProviderError(Exception):
    """The provider could not be reached or refused the request (retried later)."""


class CallbackRejected(Exception):
    """The callback's signature is missing, wrong or stale."""


class KycProvider(Protocol):
    name: str

    def start_check(self, request: CheckRequest) -> CheckStarted: ...

    def fetch_result(self, reference: str) -> CheckResult: ...

    def verify_callback(self, *, body: bytes, headers: Mapping[str, str]) -> CallbackEvent: ...
