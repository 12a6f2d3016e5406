"""PUBLIC: the events billing publishes (through the outbox, after commit). Each part
publishes its own with `apps.core.outbox.publish`."""

from __future__ import annotations

from dataclasses import dataclass

from apps.core.events import DomainEvent


@dataclass(frozen=True)
class SubscriptionChanged(DomainEvent):
    """A subscription started, changed plan, renewed, paused, resumed or was canceled
    (`kind` a ChangeKind). Entitlement caches are dropped on it."""

    name = "billing.SubscriptionChanged"

    subscription: str
    organization: str
    kind: str
    plan: str
    version: int
    status: str
    effective_on: str  # ISO date


@dataclass(frozen=True)
class InvoiceFinalized(DomainEvent):
    name = "billing.InvoiceFinalized"

    invoice: str
    number: str
    organization: str
    total: int
    amount_due: int
    currency: str
    due_on: str


@dataclass(frozen=True)
class InvoicePaid(DomainEvent):
    name = "billing.InvoicePaid"

    invoice: str
    number: str
    organization: str
    total: int
    currency: str
    paid_on: str
    method: str


@dataclass(frozen=True)
class InvoicePaymentFailed(DomainEvent):
    name = "billing.InvoicePaymentFailed"

    invoice: str
    number: str
    organization: str
    attempt: int
    reason: str


@dataclass(frozen=True)
class AccountRestricted(DomainEvent):
    """The dunning grace period ended unpaid: restricted features are refused (never rent
    collection, never data access or exports)."""

    name = "billing.AccountRestricted"

    organization: str
    subscription: str
    invoice: str


@dataclass(frozen=True)
class AccountRestored(DomainEvent):
    name = "billing.AccountRestored"

    organization: str
    subscription: str
