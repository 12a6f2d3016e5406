"""The recovery dashboard page: recovered this month, rates by step and by collector, the
aging and its 90-day trend, the cases without a next action."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .. import selectors, services
from ..contracts import StepAction
from ..models import CASE_STATUS_LABELS, STEP_ACTION_LABELS
from .common import BUCKETS, bucket_labels, page, report_org


def _aging_bar(row) -> list[dict]:
    total = row.total if row else 0
    labels = bucket_labels()
    return [
        {
            "key": b,
            "label": labels[b],
            "amount": getattr(row, b) if row else 0,
            "pct": round(getattr(row, b) * 100 / total, 2) if total else 0,
        }
        for b in BUCKETS
    ]


def _trend(snapshots, width: int = 600, height: int = 160) -> dict:
    """A stacked column per day of the last 90 (inline SVG: no chart library)."""
    if not snapshots:
        return {"columns": [], "width": width, "height": height}
    top = max(sum(getattr(s, b) for b in BUCKETS) for s in snapshots) or 1
    slot = width / max(len(snapshots), 1)
    columns = []
    for i, snap in enumerate(snapshots):
        y = height - 16
        parts = []
        for b in BUCKETS:
            h = round(getattr(snap, b) * (height - 24) / top, 2)
            y = round(y - h, 2)
            parts.append({"key": b, "y": y, "h": h})
        columns.append(
            {
                "x": round(i * slot + slot * 0.1, 2),
                "w": round(max(slot * 0.8, 1), 2),
                "parts": parts,
                "on": snap.on,
                "total": sum(getattr(snap, b) for b in BUCKETS),
            }
        )
    return {
        "columns": columns,
        "width": width,
        "height": height,
        "first": snapshots[0].on,
        "last": snapshots[-1].on,
    }


@page
@require_GET
def dashboard(request):
    if not selectors.report_org_ids(request.user):
        if selectors.collector_org_ids(request.user):
            return redirect("recovery:field")
        raise Http404
    org_id = report_org(request)
    d = services.dashboard(actor=request.user, organization_id=org_id)
    total = d["aging"].totals.get(d["currency"])
    by_step = [
        {
            **row,
            "label": row["step"].label or STEP_ACTION_LABELS.get(StepAction(row["action"]), row["action"]),
            "rate": row["rate_bps"] / 100,
        }
        for row in d["by_step"]
        if row["step"].is_active or row["cases"]  # a step removed from the ladder keeps its history
    ]
    by_collector = [{**row, "rate": row["rate_bps"] / 100} for row in d["by_collector"]]
    status_labels = {str(k): v for k, v in CASE_STATUS_LABELS.items()}
    return render(
        request,
        "recovery/dashboard.html",
        {
            "d": d,
            "by_status": [(status_labels.get(k, k), n) for k, n in sorted(d["by_status"].items())],
            "by_step": by_step,
            "by_collector": by_collector,
            "aging": _aging_bar(total),
            "aging_total": total.total if total else 0,
            "trend": _trend(d["trend"]),
            "without": d["without_next_action_cases"],
            "org": org_id,
        },
    )
