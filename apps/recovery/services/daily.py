"""The daily pass (run hourly by beat; each part is idempotent for the day): cases follow
the arrears, broken promises and missed installments are found, the ladders run, and the
aging snapshot is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from ..models import Case, Ladder
from .aging import aging_snapshot
from .cases import SyncResult, cases_sync
from .commitments import commitments_check
from .ladder import RunResult, ladder_run


@dataclass
class DailyResult:
    sync: SyncResult
    commitments: dict
    ladder: RunResult
    snapshots: int


def daily_run(*, today: date | None = None, now: datetime | None = None) -> DailyResult:
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    sync = cases_sync(today=today)
    commitments = commitments_check(today=today)
    run = ladder_run(today=today, now=now)
    orgs = set(Ladder.objects.filter(is_active=True).values_list("organization_id", flat=True)) | set(
        Case.objects.exclude(status="closed").values_list("organization_id", flat=True).distinct()
    )
    snapshots = 0
    for org_id in orgs:
        snapshots += len(aging_snapshot(organization_id=org_id, today=today))
    return DailyResult(sync=sync, commitments=commitments, ladder=run, snapshots=snapshots)
