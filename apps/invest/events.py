"""PUBLIC: the domain events invest publishes (through the outbox, after commit)."""

from __future__ import annotations

from dataclasses import dataclass

from apps.core.events import DomainEvent


@dataclass(frozen=True)
class OrderSettled(DomainEvent):
    """An order's cash moved: a subscription or buy paid from the wallet, or a redemption or
    sell paid into it (`cash`: XOF; `units`: 1/10,000 units executed)."""

    name = "invest.OrderSettled"

    order: str
    user: str
    product: str
    side: str
    units: int
    cash: int
    fees: int
    currency: str
    settled_on: str  # ISO date


@dataclass(frozen=True)
class OrderRejected(DomainEvent):
    """The partner rejected the order (or it was cancelled before any fill): the cash held is
    back in the wallet."""

    name = "invest.OrderRejected"

    order: str
    user: str
    product: str
    side: str
    reason: str
