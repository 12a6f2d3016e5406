"""Demo analytics (seed_demo; idempotent): the figures follow the demo's events as they are
written (the outbox runs in-process in the embedded default); the night's snapshots
(occupancy, arrears by age, deposits held) are taken for today, so the dashboards show them
without waiting for the first night."""

from __future__ import annotations

from django.utils import timezone

from .services.nightly import snapshot_day


def seed(ctx) -> None:
    snapshot_day(timezone.localdate())
