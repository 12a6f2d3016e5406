"""Domain events: the base class and the handler registry.

A module's events.py declares frozen dataclasses subclassing DomainEvent, each with a
unique `name` ("<module>.<EventName>"). Fields are JSON values only (str, int, bool, None,
lists and dicts of them): they are stored in the outbox and rebuilt for handlers.
A module's handlers.py registers reactions with `@on(SomeEvent)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import ClassVar

_EVENT_TYPES: dict[str, type[DomainEvent]] = {}
_HANDLERS: dict[str, list[Handler]] = {}


@dataclass(frozen=True)
class DomainEvent:
    name: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.name:
            raise TypeError(f"{cls.__qualname__} must set a `name` like 'module.EventName'")
        if _EVENT_TYPES.get(cls.name, cls).__qualname__ != cls.__qualname__:
            raise TypeError(f"Two events are named {cls.name!r}")
        _EVENT_TYPES[cls.name] = cls

    def to_payload(self) -> dict:
        cls = type(self)
        names = _PAYLOAD_FIELDS.get(cls)
        if names is None:  # dataclasses.fields() walks the class on every call: once per class
            names = _PAYLOAD_FIELDS[cls] = tuple(f.name for f in fields(self))
        return {name: getattr(self, name) for name in names}


_PAYLOAD_FIELDS: dict[type, tuple[str, ...]] = {}


@dataclass(frozen=True)
class Handler:
    key: str  # stable name, used to record that it ran
    event_name: str
    func: Callable[..., None]


def on(event_type: type[DomainEvent]):
    """Register a handler `func(event, *, event_id)`. The outbox records each (event,
    handler) pair it completes, so a handler runs once per event; a handler that calls an
    outside system passes event_id on as its idempotency key."""

    def register(func):
        key = f"{func.__module__}.{func.__qualname__}"
        handlers = _HANDLERS.setdefault(event_type.name, [])
        if all(h.key != key for h in handlers):
            handlers.append(Handler(key=key, event_name=event_type.name, func=func))
        return func

    return register


def event_type(name: str) -> type[DomainEvent]:
    return _EVENT_TYPES[name]


def handlers_for(name: str) -> list[Handler]:
    return list(_HANDLERS.get(name, []))
