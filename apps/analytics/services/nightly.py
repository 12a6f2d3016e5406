"""The night's work (docs/analytics.md, « Nightly »): the day's snapshots, and the drift check.

snapshot_day(day)   each module's SNAPSHOTS for `day`, applied once per organization
check_drift(day)    each module's DERIVE for `day` against the rollups kept: a Drift row
                    for each figure that differs (reported, never silently rewritten)
repair_drift(drift) staff: the organization's day and month set to the source figure
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.kpis import Fact

from ..models import AppliedEvent, Drift, Rollup
from .registry import kpis
from .rollups import apply_facts, snapshot_event_id

logger = logging.getLogger("hokwe.analytics")

__all__ = ["LEDGER", "check_drift", "prune_applied", "reconcile_ledger", "repair_drift", "snapshot_day"]

LEDGER = "ledger"  # a Drift's dimension when the other side is the ledger, not the source rows


def snapshot_day(day: date) -> int:
    """Apply every snapshot of `day` (one event per module, snapshot and organization: run
    again, it adds nothing). Returns how many were new."""
    applied = 0
    for label, snapshot in kpis().snapshots:
        name = f"{label}.{snapshot.__name__}"
        by_org: dict[str, list[Fact]] = defaultdict(list)
        for fact in snapshot(day):
            by_org[fact.organization].append(fact)
        batch = [(snapshot_event_id(name, day, org), name, facts) for org, facts in by_org.items()]
        for start in range(0, len(batch), 200):
            applied += apply_facts(batch[start : start + 200])
    return applied


def _kept(day: date, metrics: set[str]) -> dict[tuple, tuple[int, int]]:
    rows = Rollup.objects.filter(scope="org", grain="d", period=day, metric__in=metrics).values_list(
        "organization", "metric", "dimension", "currency", "value", "count"
    )
    return {(str(org), metric, dim, cur): (value, count) for org, metric, dim, cur, value, count in rows}


def check_drift(day: date) -> int:
    """Compare the figures kept for `day` with the same figures re-derived from the source
    rows. Each difference is written (or updated) as a Drift; a figure that matches again
    closes its open drift. Returns how many differ."""
    derived: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    metrics: set[str] = set()
    for _label, derive in kpis().derivers:
        for fact in derive(day):
            metrics.add(fact.metric)
            cell = derived[
                (str(uuid.UUID(str(fact.organization))), fact.metric, fact.dimension, fact.currency)
            ]
            cell[0] += fact.value
            cell[1] += fact.count
    if not metrics:
        return 0
    kept = _kept(day, metrics)
    now = timezone.now()
    return sum(
        _record(day, key, kept.get(key, (0, 0)), tuple(derived.get(key, (0, 0))), now)
        for key in set(derived) | set(kept)
    )


def _record(day, key, kept, source, now) -> bool:
    """Write (or close) the drift of one figure; True when it differs."""
    org, metric, dim, cur = key
    if tuple(source) == tuple(kept):
        Drift.objects.filter(
            day=day, organization=org, metric=metric, dimension=dim, currency=cur, repaired_at__isnull=True
        ).update(repaired_at=now)
        return False
    Drift.objects.update_or_create(
        day=day,
        organization=org,
        metric=metric,
        dimension=dim,
        currency=cur,
        defaults={
            "rollup_value": kept[0],
            "rollup_count": kept[1],
            "source_value": source[0],
            "source_count": source[1],
            "repaired_at": None,
        },
    )
    logger.warning(
        "analytics_drift",
        extra={
            "day": day.isoformat(),
            "metric": metric,
            "against": dim or "source",
            "kept": kept[0],
            "source": source[0],
        },
    )
    return True


def reconcile_ledger(day: date) -> int:
    """Each module's RECONCILE: the ledger's figures (e.g. every organization's rent
    receivable) against the snapshot kept for `day`. A difference is a Drift whose dimension
    is « ledger »: reported, never « repaired » (the rollup is right about the rows; the
    ledger and the rows disagree, and finance looks). Returns how many differ."""
    reconcilers = kpis().reconcilers
    if not reconcilers:
        return 0
    organizations = sorted(
        {
            str(o)
            for o in Rollup.objects.filter(scope="org", grain="d", period=day)
            .values_list("organization", flat=True)
            .distinct()
        }
    )
    ledger_side: dict[tuple, int] = defaultdict(int)
    metrics: set[str] = set()
    for _label, reconcile in reconcilers:
        for fact in reconcile(day, organizations):
            metrics.add(fact.metric)
            ledger_side[(str(uuid.UUID(str(fact.organization))), fact.metric, fact.currency)] += fact.value
    if not metrics:
        return 0
    kept = {
        (str(org), metric, cur): value
        for org, metric, cur, value in Rollup.objects.filter(
            scope="org", grain="d", period=day, metric__in=metrics, dimension=""
        ).values_list("organization", "metric", "currency", "value")
    }
    now = timezone.now()
    found = 0
    for org, metric, cur in set(ledger_side) | set(kept):
        found += _record(
            day,
            (org, metric, LEDGER, cur),
            (kept.get((org, metric, cur), 0), 0),
            (ledger_side.get((org, metric, cur), 0), 0),
            now,
        )
    return found


def repair_drift(drift: Drift) -> Drift:
    """Set the organization's figure of that day (and its month) to the source's: the
    difference is applied once, as a correction event of its own. The property and owner
    figures are not touched (the source derivation is organization-wide): the drift row says
    so in the admin."""
    with transaction.atomic():
        row = Drift.objects.select_for_update().get(pk=drift.pk)
        if row.repaired_at is not None or row.dimension == LEDGER:
            return row
        correction = Fact(
            row.metric,
            organization=str(row.organization),
            day=row.day,
            value=row.source_value - row.rollup_value,
            count=row.source_count - row.rollup_count,
            currency=row.currency,
            dimension=row.dimension,
        )
        event_id = uuid.uuid5(
            uuid.NAMESPACE_URL, f"hokwe:analytics:repair:{row.pk}:{row.found_at.isoformat()}"
        )
        apply_facts([(event_id, "analytics.DriftRepaired", [correction])])
        row.repaired_at = timezone.now()
        row.save(update_fields=["repaired_at"])
        return row


def prune_applied(now=None) -> int:
    """Forget applied-event ids older than ANALYTICS_APPLIED_EVENTS_DAYS (the outbox keeps its
    own record of each handler it ran). Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ANALYTICS_APPLIED_EVENTS_DAYS)
    deleted, _ = AppliedEvent.objects.filter(applied_at__lt=cutoff).delete()
    return deleted
