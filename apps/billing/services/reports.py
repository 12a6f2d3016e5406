"""Staff reports (docs/billing.md, "Staff reports"): MRR, ARR, churn and the subscriptions by
plan and status. (Part: surfaces.)

- **MRR** (monthly recurring revenue, per currency, before tax): for every paying
  subscription (active, overdue or restricted; not a trial, not paused, not canceled) the
  recurring fees of one period of its version at the quantities read at its period start
  (`Subscription.quantities`), a yearly plan counting for a twelfth (integer division per
  subscription). Usage is not recurring and is not in it.
- **ARR** = 12 × MRR.
- **Churn over a month** [first day, first day of the next month): the subscriptions paying at
  the month's start (started before it, not canceled before it, past their trial) and, of
  those, the ones canceled during the month. Logo churn = canceled ÷ paying at the start;
  revenue churn = their MRR ÷ the MRR of the subscriptions paying at the start (basis
  points, rounded down; the MRR of each at its current version and quantities).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q

from ..contracts import Interval, LineKind, SubscriptionStatus
from ..models import Subscription, SubscriptionAddOn

PAYING = (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE, SubscriptionStatus.RESTRICTED)


def monthly_amount(sub: Subscription) -> int:
    """One subscription's recurring fees per month (before tax, minor units)."""
    from . import pricing

    version = sub.version
    start = sub.current_period_start
    step = relativedelta(years=1) if version.interval == Interval.YEAR else relativedelta(months=1)
    addons = [a.addon for a in getattr(sub, "live_addons", None) or ()]
    lines = pricing.recurring_lines(
        version,
        quantities={k: int(v) for k, v in (sub.quantities or {}).items()},
        period_start=start,
        period_end=start + step,
        addons=addons,
    )
    amount = sum(line.amount for line in lines if line.kind != LineKind.DISCOUNT)
    return amount // 12 if version.interval == Interval.YEAR else amount


def _with_prices():
    from django.db.models import Prefetch

    return Subscription.objects.select_related("version__plan", "customer").prefetch_related(
        "version__prices__metric",
        Prefetch(
            "addons",
            queryset=SubscriptionAddOn.objects.filter(ended_on__isnull=True).select_related("addon"),
            to_attr="live_addons",
        ),
    )


@dataclass(frozen=True)
class Recurring:
    currency: str
    mrr: int
    arr: int
    subscriptions: int


def mrr(*, today: date | None = None) -> list[Recurring]:
    """MRR and ARR per currency of the subscriptions paying now."""
    totals: dict[str, int] = defaultdict(int)
    counts: Counter = Counter()
    for sub in _with_prices().filter(status__in=PAYING):
        currency = sub.version.currency
        totals[currency] += monthly_amount(sub)
        counts[currency] += 1
    return [
        Recurring(currency=c, mrr=totals[c], arr=12 * totals[c], subscriptions=counts[c])
        for c in sorted(totals)
    ]


@dataclass(frozen=True)
class Churn:
    currency: str
    month: date  # its first day
    at_start: int  # subscriptions paying at the month's start
    canceled: int  # of those, canceled during the month
    mrr_at_start: int
    mrr_canceled: int
    logo_churn_bps: int
    revenue_churn_bps: int


def _paying_at(day: date):
    """Subscriptions paying on `day`: started before, past their trial, not canceled before."""
    return (
        Q(started_on__lt=day)
        & (Q(trial_ends_on__isnull=True) | Q(trial_ends_on__lte=day))
        & (Q(canceled_on__isnull=True) | Q(canceled_on__gte=day))
    )


def churn(*, month: date) -> list[Churn]:
    """Logo and revenue churn over the month of `month`, per currency."""
    start = month.replace(day=1)
    end = start + relativedelta(months=1)
    rows: dict[str, dict] = defaultdict(lambda: {"n": 0, "lost": 0, "mrr": 0, "mrr_lost": 0})
    for sub in _with_prices().filter(_paying_at(start)).exclude(status=SubscriptionStatus.PAUSED):
        row = rows[sub.version.currency]
        amount = monthly_amount(sub)
        row["n"] += 1
        row["mrr"] += amount
        if sub.canceled_on and start <= sub.canceled_on < end:
            row["lost"] += 1
            row["mrr_lost"] += amount
    return [
        Churn(
            currency=c,
            month=start,
            at_start=r["n"],
            canceled=r["lost"],
            mrr_at_start=r["mrr"],
            mrr_canceled=r["mrr_lost"],
            logo_churn_bps=r["lost"] * 10_000 // r["n"] if r["n"] else 0,
            revenue_churn_bps=r["mrr_lost"] * 10_000 // r["mrr"] if r["mrr"] else 0,
        )
        for c, r in sorted(rows.items())
    ]


@dataclass(frozen=True)
class PlanCount:
    plan: str
    plan_name: str
    counts: dict[str, int] = field(default_factory=dict)  # status -> subscriptions
    total: int = 0


def by_plan_and_status() -> list[PlanCount]:
    """How many subscriptions each plan has, per status (every status, zeros included)."""
    grouped: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for row in (
        Subscription.objects.values("version__plan__code", "version__plan__name", "status")
        .annotate(n=Count("id"))
        .order_by("version__plan__position", "version__plan__code")
    ):
        grouped[(row["version__plan__code"], row["version__plan__name"])][row["status"]] = row["n"]
    return [
        PlanCount(
            plan=code,
            plan_name=name,
            counts={str(s): counts.get(str(s), 0) for s in SubscriptionStatus},
            total=sum(counts.values()),
        )
        for (code, name), counts in grouped.items()
    ]
