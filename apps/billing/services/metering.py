"""Metering (docs/billing.md, "Metering"): the outbox events named in
`BILLING_METERED_EVENTS` are counted, as they are handled, into usage counters per
subscription, billable metric and period, once per event; the live usage of the current
period. Invoicing reads the counters, never the raw history. (Part: metering and the
billing run.)"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from uuid import UUID

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.identity import api as identity

from ..contracts import LIVE_STATUSES, Aggregation, PriceKind, UsageLine
from ..models import BillableMetric, Price, Subscription, UsageCounter, UsageEvent, UsageUnique
from . import pricing

__all__ = ["current_usage", "matches", "period_usage", "record_event"]


def matches(metric: BillableMetric, payload: dict) -> bool:
    """Whether the event's payload passes the metric's filters (equality on payload keys;
    a number in the filter matches its text in the payload and the other way round)."""
    for key, wanted in (metric.filters or {}).items():
        got = payload.get(key)
        if got != wanted and str(got) != str(wanted):
            return False
    return True


def _value(metric: BillableMetric, payload: dict) -> int | str | None:
    """What the event adds: 1 (count), the summed field (an integer), or the distinct value."""
    if metric.aggregation == Aggregation.COUNT:
        return 1
    raw = payload.get(metric.field)
    if raw is None or raw == "":
        return None
    if metric.aggregation == Aggregation.SUM:
        try:
            return int(raw)
        except (TypeError, ValueError):
            return None
    return str(raw)[:200]


def _subscription(org_public_id) -> Subscription | None:
    try:
        org = identity.get_organization(public_id=UUID(str(org_public_id)))
    except Exception:  # noqa: BLE001 -- an unknown or malformed organization meters nothing
        return None
    return (
        Subscription.objects.filter(customer__organization_id=org.id, status__in=list(LIVE_STATUSES))
        .order_by("-created_at")
        .first()
    )


def _period_of(subscription: Subscription, day: date) -> date:
    """The period an event of `day` counts in: the current one, or the next when the period
    ended and the run has not rolled it yet."""
    if day >= subscription.current_period_end:
        return subscription.current_period_end
    return subscription.current_period_start


def _increment(subscription_id: int, metric_id: int, period_start: date, by: int) -> None:
    """counter += by, created at zero when absent (one statement, safe under concurrency)."""
    table = UsageCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (subscription_id, metric_id, period_start, value, updated_at)
                VALUES (%s, %s, %s, %s, %s)
                ON CONFLICT (subscription_id, metric_id, period_start)
                DO UPDATE SET value = {table}.value + EXCLUDED.value, updated_at = EXCLUDED.updated_at""",  # noqa: S608 -- table name from the model
            [subscription_id, metric_id, period_start, by, timezone.now()],
        )


def record_event(name: str, payload: dict, event_id: str, occurred_at: datetime | None = None) -> int:
    """Meter one event: for each billable metric on `name` whose filters match, the
    organization's live subscription gets a UsageEvent (once per metric and event: a second
    delivery counts nothing) and its period's counter moves (sum, count; a unique count
    through the distinct values). One transaction. Returns how many metrics counted it."""
    metrics = [m for m in BillableMetric.objects.filter(event_name=name) if matches(m, payload)]
    if not metrics:
        return 0
    occurred_at = occurred_at or timezone.now()
    day = timezone.localdate(occurred_at) if timezone.is_aware(occurred_at) else occurred_at.date()
    subscriptions: dict[str, Subscription | None] = {}
    counted = 0
    with transaction.atomic():
        for metric in metrics:
            org = payload.get(metric.organization_field)
            if not org:
                continue
            if str(org) not in subscriptions:
                subscriptions[str(org)] = _subscription(org)
            subscription = subscriptions[str(org)]
            value = _value(metric, payload)
            if subscription is None or value is None:
                continue
            period_start = _period_of(subscription, day)
            try:
                with transaction.atomic():
                    UsageEvent.objects.create(
                        metric=metric,
                        subscription=subscription,
                        period_start=period_start,
                        event_id=str(event_id)[:64],
                        value=value if isinstance(value, int) else 1,
                        occurred_at=occurred_at,
                    )
            except IntegrityError:
                continue  # delivered twice: counted the first time
            if metric.aggregation == Aggregation.UNIQUE_COUNT:
                try:
                    with transaction.atomic():
                        UsageUnique.objects.create(
                            subscription=subscription, metric=metric, period_start=period_start, value=value
                        )
                except IntegrityError:
                    counted += 1
                    continue  # a value already seen this period
                by = 1
            else:
                by = value
            _increment(subscription.pk, metric.pk, period_start, by)
            counted += 1
    return counted


def period_usage(
    subscription_ids: Iterable[int], period_start: date | dict[int, date]
) -> dict[tuple[int, str], int]:
    """The usage counters of the subscriptions' periods, in one query: {(subscription id,
    metric code): value}. `period_start` is one date, or each subscription's own."""
    ids = list(subscription_ids)
    if not ids:
        return {}
    starts = period_start if isinstance(period_start, dict) else dict.fromkeys(ids, period_start)
    rows = UsageCounter.objects.filter(
        subscription_id__in=ids, period_start__in=set(starts.values())
    ).values_list("subscription_id", "metric__code", "period_start", "value")
    return {(sub, code): value for sub, code, start, value in rows if starts.get(sub) == start}


def current_usage(subscription: Subscription) -> list[UsageLine]:
    """The current period's usage so far, one line per metric the plan prices or the
    subscription used, priced by the plan's usage prices (before tax)."""
    start = subscription.current_period_start
    usage = {code: value for (_sub, code), value in period_usage([subscription.pk], start).items()}
    version = subscription.version
    priced = {
        p.metric.code: p.metric
        for p in Price.objects.filter(version=version, kind=PriceKind.USAGE).select_related("metric")
    }
    names = dict(BillableMetric.objects.filter(code__in=set(usage) | set(priced)).values_list("code", "name"))
    amounts: dict[str, int] = {}
    if usage:
        for line in pricing.usage_lines(
            version, usage=usage, period_start=start, period_end=subscription.current_period_end
        ):
            if line.metric:
                amounts[line.metric] = amounts.get(line.metric, 0) + line.amount
    return [
        UsageLine(
            metric=code,
            name=names.get(code, code),
            quantity=usage.get(code, 0),
            amount=amounts.get(code, 0),
            currency=version.currency,
        )
        for code in sorted(set(usage) | set(priced))
    ]
