"""PUBLIC: the events scoring publishes (through the outbox, after commit). Each part
appends its own block."""

from __future__ import annotations

from dataclasses import dataclass

from apps.core.events import DomainEvent, register_event  # noqa: F401
