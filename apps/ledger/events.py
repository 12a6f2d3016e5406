"""PUBLIC: the events the ledger publishes (through the outbox)."""

from dataclasses import dataclass

from apps.core.events import DomainEvent


@dataclass(frozen=True)
class HoldExpired(DomainEvent):
    """A hold reached its timeout and was voided by the sweep; whoever placed it (found by
    `reference`) may want to tell the payer or retry."""

    name = "ledger.HoldExpired"

    hold: str  # public id of the hold
    code: str
    reference: str
