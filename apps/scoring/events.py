"""PUBLIC: the events scoring publishes (through the outbox, after commit). Each part
appends its own block."""

from __future__ import annotations

from dataclasses import dataclass

from apps.core.events import DomainEvent

# --- tenant screening: billing counts each report issued -----------------------------------


@dataclass(frozen=True)
class ScreeningReportIssued(DomainEvent):
    """A screening report was issued to an organization (a billable usage event: one per
    report; the billing issue prices it)."""

    name = "scoring.ScreeningReportIssued"

    report_id: str
    request_id: str
    organization_id: str  # the organization billed (public id)
    requested_by: str  # the manager's user public id
    unit_id: str
    recommendation: str  # accept | conditions | decline
    issued_at: str  # ISO timestamp (UTC)
