"""The recovery dashboard: recovered this month, recovery rate by ladder step and by
collector, cases without a next action, the aging and its trend."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from apps.identity import api as identity

from ..contracts import CaseStatus, EventKind, StepAction
from ..models import AgingSnapshot, Case, CaseEvent, LadderStep, StepRun
from .aging import aging_for
from .common import organization_currency

LIVE = [CaseStatus.OPEN, CaseStatus.PROMISED, CaseStatus.PLAN, CaseStatus.LEGAL]


def _rate(recovered: int, owed: int) -> int:
    """Basis points (0–10 000)."""
    return min(10_000, recovered * 10_000 // owed) if owed else 0


def dashboard(*, actor, organization_id: int, today: date | None = None) -> dict:
    """The recovery dashboard of one organization (`recovery.report.view`, else NotFound).
    Amounts are in `currency`, the organization's."""
    identity.require(actor, "recovery.report.view", organization_id, hide=True)
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    cases = Case.objects.filter(organization_id=organization_id)
    payments = CaseEvent.objects.filter(case__organization_id=organization_id, kind=EventKind.PAYMENT)
    month = payments.filter(happened_at__date__gte=month_start)
    recovered_month = month.aggregate(s=Sum("amount"))["s"] or 0

    by_step = []
    steps = (  # the ladder's steps, and retired ones that still have results to show
        LadderStep.objects.filter(ladder__organization_id=organization_id, ladder__is_active=True)
        .filter(Q(is_active=True) | Q(runs__isnull=False))
        .distinct()
        .order_by("day_offset", "id")
    )
    runs = {
        r["step_id"]: r
        for r in StepRun.objects.filter(step__in=steps, case__isnull=False)
        .values("step_id")
        .annotate(n=Count("id"), owed=Sum("amount_owed"))
    }
    after = {
        r["step_id"]: r["s"]
        for r in payments.filter(step__in=steps).values("step_id").annotate(s=Sum("amount"))
    }
    for step in steps:
        run = runs.get(step.pk, {"n": 0, "owed": 0})
        recovered = after.get(step.pk) or 0
        by_step.append(
            {
                "step": step,
                "action": StepAction(step.action),
                "day_offset": step.day_offset,
                "cases": run["n"],
                "owed": run["owed"] or 0,
                "recovered": recovered,
                "rate_bps": _rate(recovered, run["owed"] or 0),
            }
        )

    by_collector = []
    recovered_by = {
        r["data__collector"]: r["s"]
        for r in payments.exclude(data__collector="").values("data__collector").annotate(s=Sum("amount"))
    }
    for row in (
        cases.filter(collector__isnull=False)
        .values("collector__public_id", "collector__full_name")
        .annotate(
            cases=Count("id"),
            live=Count("id", filter=Q(status__in=LIVE)),
            opened_amount=Sum("amount_at_open"),
        )
        .order_by("collector__full_name")
    ):
        recovered = recovered_by.get(str(row["collector__public_id"]), 0) or 0
        by_collector.append(
            {
                "collector": row["collector__public_id"],
                "name": row["collector__full_name"],
                "cases": row["cases"],
                "live": row["live"],
                "recovered": recovered,
                "rate_bps": _rate(recovered, row["opened_amount"] or 0),
            }
        )

    live = cases.filter(status__in=LIVE)
    without = live.filter(Q(next_action_on__isnull=True) | Q(next_action_on__lt=today))
    aging = aging_for(organization_id=organization_id, by="organization", today=today)
    trend = list(
        AgingSnapshot.objects.filter(
            organization_id=organization_id, on__gte=today - timedelta(days=90)
        ).order_by("on")
    )
    return {
        "today": today,
        "recovered_month": recovered_month,
        "currency": organization_currency(organization_id),
        "live_cases": live.count(),
        "owed": live.aggregate(s=Sum("amount_owed"))["s"] or 0,
        "by_status": dict(live.values_list("status").annotate(n=Count("id"))),
        "closed_month": cases.filter(status=CaseStatus.CLOSED, closed_at__date__gte=month_start).count(),
        "by_step": by_step,
        "by_collector": by_collector,
        "without_next_action": without.count(),
        "without_next_action_cases": list(without.order_by("-amount_owed")[:20]),
        "aging": aging,
        "trend": trend,
    }
