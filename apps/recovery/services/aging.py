"""Aging of the arrears (balance âgée): current / 1–30 / 31–60 / 61–90 / 90+ days, by
tenant, lease, unit, property, owner or organization. Computed set-based by estate from the
dues (which the ledger's receivable mirrors), cached for the day and invalidated by every
payment, case change or dues run recovery sees; a daily snapshot keeps the trend."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.utils import timezone

from apps.estate import api as estate
from apps.estate.contracts import AGING_BUCKETS
from apps.identity import api as identity

from ..errors import InvalidInput
from ..models import AgingSnapshot
from .common import aging_version

DIMENSIONS = ("organization", "owner", "property", "unit", "lease", "tenant")


@dataclass
class AgingRow:
    key: str
    label: str
    currency: str
    current: int = 0
    d1_30: int = 0
    d31_60: int = 0
    d61_90: int = 0
    d90_plus: int = 0
    leases: int = 0

    @property
    def total(self) -> int:
        return self.current + self.d1_30 + self.d31_60 + self.d61_90 + self.d90_plus

    @property
    def overdue(self) -> int:
        return self.total - self.current


@dataclass
class AgingReport:
    on: date
    by: str
    totals: dict[str, AgingRow] = field(default_factory=dict)  # per currency
    rows: list[AgingRow] = field(default_factory=list)


def _key_label(row, by: str) -> tuple[str, str]:
    if by == "organization":
        return str(row.organization), ""
    if by == "owner":
        return str(row.owner), ""
    if by == "property":
        return str(row.property), row.property_name
    if by == "unit":
        return str(row.unit), f"{row.property_name}, {row.unit_label}"
    if by == "lease":
        return str(row.lease), f"{row.lease_reference} · {row.tenant_name}"
    return str(row.tenant or ""), row.tenant_name


def _compute(organization_public_id, today: date, by: str) -> AgingReport:
    report = AgingReport(on=today, by=by)
    groups: dict[tuple[str, str], AgingRow] = {}
    for row in estate.arrears(today=today, organizations=[organization_public_id]):
        key, label = _key_label(row, by)
        for target in (
            groups.setdefault((key, row.currency), AgingRow(key, label, row.currency)),
            report.totals.setdefault(row.currency, AgingRow("total", "", row.currency)),
        ):
            for bucket in AGING_BUCKETS:
                setattr(target, bucket, getattr(target, bucket) + getattr(row, bucket))
            target.leases += 1
    report.rows = sorted(groups.values(), key=lambda r: (-r.overdue, -r.total, r.label))
    return report


def aging(*, actor, organization_id: int, by: str = "property", today: date | None = None) -> AgingReport:
    if by not in DIMENSIONS:
        raise InvalidInput(field="by")
    identity.require(actor, "recovery.report.view", organization_id, hide=True)
    return aging_for(organization_id=organization_id, by=by, today=today)


def aging_for(*, organization_id: int, by: str = "property", today: date | None = None) -> AgingReport:
    today = today or timezone.localdate()
    key = f"recovery:aging:{organization_id}:{today.isoformat()}:{by}:{aging_version(organization_id)}"
    report = cache.get(key)
    if report is None:
        org = identity.get_organization(id=organization_id)
        report = _compute(org.public_id, today, by)
        cache.set(key, report, timeout=26 * 3600)
    return report


def aging_snapshot(*, organization_id: int, today: date | None = None) -> list[AgingSnapshot]:
    """Keep the day's totals (the dashboard's trend); idempotent for the day."""
    today = today or timezone.localdate()
    report = aging_for(organization_id=organization_id, by="organization", today=today)
    out = []
    for currency, row in report.totals.items():
        snap, _ = AgingSnapshot.objects.update_or_create(
            organization_id=organization_id,
            on=today,
            currency=currency,
            defaults={b: getattr(row, b) for b in AGING_BUCKETS} | {"leases": row.leases},
        )
        out.append(snap)
    return out
