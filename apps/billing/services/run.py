"""The billing run (docs/billing.md, "The billing run"): every subscription whose period
ends is invoiced (recurring fees, per-unit quantities, add-ons, coupons, the period's usage
from the counters), finalized and collected, and rolled to its next period.
(Part: metering and the billing run.)

Set-based reads per chunk (the subscriptions due, their counters, their quantities, their
add-ons and coupons: a few queries for the chunk), one transaction per chunk, one invoice
per (subscription, period) by its origin key, so a run repeated the same day, or resumed
after a crash, makes nothing twice. Collection (a mobile-money push is a network call)
happens after the chunk's commit."""

from __future__ import annotations

import logging
import time as clock
from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..contracts import Interval, InvoiceKind, InvoiceStatus, LineKind, LineSpec, SubscriptionStatus
from ..models import CouponRedemption, Invoice, Price, Subscription, SubscriptionAddOn
from . import invoices, metering, payment, pricing, quantities, subscriptions

__all__ = ["billing_run", "origin_key"]

logger = logging.getLogger("hokwe.billing")

# a paused subscription is neither invoiced nor rolled; a canceled one is over
DUE_STATUSES = (
    SubscriptionStatus.TRIALING,
    SubscriptionStatus.ACTIVE,
    SubscriptionStatus.PAST_DUE,
    SubscriptionStatus.RESTRICTED,
)


def origin_key(subscription: Subscription, period_start: date) -> str:
    """The invoice of the period starting `period_start` (recurring fees in advance, the
    previous period's usage in arrears): one per subscription and period."""
    return f"renewal:{subscription.public_id}:{period_start.isoformat()}"


def next_period_end(start: date, interval: str) -> date:
    return start + (relativedelta(years=1) if interval == Interval.YEAR else relativedelta(months=1))


def billing_run(*, today: date | None = None, chunk_size: int = 500, collect: bool = True) -> dict:
    """Invoice and roll every subscription whose `current_period_end <= today`. Returns
    counts: subscriptions rolled, invoices made, converted trials, seconds."""
    today = today or timezone.localdate()
    started = clock.perf_counter()
    result = {"subscriptions": 0, "invoices": 0, "converted": 0, "collected": 0, "seconds": 0.0}
    for _pass in range(24):  # a subscription several periods behind rolls one period per pass
        last_id, moved = 0, 0
        while True:
            ids = list(
                Subscription.objects.filter(
                    status__in=DUE_STATUSES, current_period_end__lte=today, id__gt=last_id
                )
                .order_by("id")
                .values_list("id", flat=True)[:chunk_size]
            )
            if not ids:
                break
            last_id = ids[-1]
            made = _chunk(ids, today, result)
            moved += len(ids)
            if collect:
                _collect(made, result)
        if not moved:
            break
    result["seconds"] = round(clock.perf_counter() - started, 3)
    logger.info("billing_run", extra=result)
    return result


def _collect(invoice_ids: list[int], result: dict) -> None:
    """After the chunk's commit: ask for the money (outside any transaction)."""
    for invoice_id in invoice_ids:
        try:
            payment.collect(invoice_id, push=True)
            result["collected"] += 1
        except Exception:  # one customer's provider failure never stops the run; dunning retries
            logger.warning("billing_collect_failed", extra={"invoice_id": invoice_id}, exc_info=True)


def _chunk(ids: list[int], today: date, result: dict) -> list[int]:
    """Invoice, finalize and roll one chunk of due subscriptions in one transaction.
    Returns the ids of the invoices that still owe something (to collect after commit)."""
    prices = Prefetch("prices", queryset=Price.objects.select_related("metric").order_by("position", "id"))
    to_collect: list[int] = []
    with transaction.atomic():
        subs = list(
            Subscription.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(id__in=ids, status__in=DUE_STATUSES, current_period_end__lte=today)
            .select_related("customer", "version__plan", "pending_version__plan")
            .prefetch_related(
                Prefetch("version__prices", queryset=prices.queryset),
                Prefetch("pending_version__prices", queryset=prices.queryset),
            )
            .order_by("id")
        )
        if not subs:
            return []
        keys = {s.pk: origin_key(s, s.current_period_end) for s in subs}
        existing = dict(Invoice.objects.filter(origin_key__in=keys.values()).values_list("origin_key", "id"))
        usage: dict[int, dict[str, int]] = defaultdict(dict)  # subscription -> metric -> quantity
        for (sub_id, code), value in metering.period_usage(
            [s.pk for s in subs], {s.pk: s.current_period_start for s in subs}
        ).items():
            if value > 0:
                usage[sub_id][code] = value
        addons = defaultdict(list)
        for row in (
            SubscriptionAddOn.objects.filter(subscription_id__in=[s.pk for s in subs], ended_on__isnull=True)
            .select_related("addon")
            .prefetch_related(Prefetch("addon__prices", queryset=prices.queryset))
        ):
            addons[row.subscription_id].append(row)
        coupons = defaultdict(list)
        for row in (
            CouponRedemption.objects.filter(subscription_id__in=[s.pk for s in subs], coupon__is_active=True)
            .filter(Q(periods_left__isnull=True) | Q(periods_left__gt=0))
            .select_related("coupon")
        ):
            coupons[row.subscription_id].append(row)
        amounts = _quantities(subs)
        spent: list[CouponRedemption] = []
        specs = []
        for sub in subs:
            if keys[sub.pk] in existing:
                continue  # invoiced by an earlier run that did not roll it: only roll below
            lines = _lines(sub, usage, amounts, addons[sub.pk])
            discount = _discounts(sub, lines, coupons[sub.pk], spent)
            if not lines:
                continue
            specs.append(
                {
                    "customer": sub.customer,
                    "kind": InvoiceKind.SUBSCRIPTION,
                    "origin_key": keys[sub.pk],
                    "lines": lines + discount,
                    "subscription": sub,
                    "period_start": sub.current_period_end,
                    "period_end": next_period_end(sub.current_period_end, _next_version(sub).interval),
                }
            )
        made = invoices.finalize_many(invoices.draft_many(specs), today=today)
        result["invoices"] += len(made)
        to_collect += [inv.pk for inv in made if inv.status == InvoiceStatus.OPEN and inv.amount_due > 0]
        CouponRedemption.objects.bulk_update(spent, ["periods_left", "updated_at"])
        for sub in subs:
            if sub.status == SubscriptionStatus.TRIALING:
                result["converted"] += 1
            if amounts.get(sub.pk) is not None:
                sub.quantities = amounts[sub.pk]  # saved by the roll's UPDATE
        subscriptions.renew_many(subs, today=today)
        result["subscriptions"] += len(subs)
    return to_collect


def _next_version(sub: Subscription):
    return sub.pending_version or sub.version


def _ends(sub: Subscription) -> bool:
    """Whether the subscription stops at this period's end (nothing to bill in advance)."""
    return sub.cancel_at_period_end


def _quantities(subs: list[Subscription]) -> dict[int, dict[str, int]]:
    """The per-unit quantities of the next period, read at its start for the whole chunk
    (one read per source), keyed by subscription id."""
    names = {
        p.quantity_source
        for s in subs
        for p in _next_version(s).prices.all()
        if p.quantity_source and not _ends(s)
    }
    if not names:
        return {}
    by_org = quantities.read_quantities([s.customer.organization_id for s in subs], sorted(names))
    return {s.pk: dict(by_org.get(s.customer.organization_id, {})) for s in subs}


def _lines(sub: Subscription, usage: dict, amounts: dict, addons: list) -> list[LineSpec]:
    """The next period's recurring fees in advance (none when it ends at this period's end)
    and the ended period's usage in arrears (none for a trial: its usage is free)."""
    lines: list[LineSpec] = []
    start = sub.current_period_end
    version = _next_version(sub)
    if not _ends(sub):
        lines += pricing.recurring_lines(
            version,
            quantities=amounts.get(sub.pk, sub.quantities or {}),
            period_start=start,
            period_end=next_period_end(start, version.interval),
            addons=addons,
        )
    if sub.status != SubscriptionStatus.TRIALING:
        used = usage.get(sub.pk)
        if used:
            lines += pricing.usage_lines(
                sub.version,
                usage=used,
                period_start=sub.current_period_start,
                period_end=sub.current_period_end,
            )
    return lines


def _discounts(
    sub: Subscription, lines: list[LineSpec], redemptions: list[CouponRedemption], spent: list
) -> list[LineSpec]:
    """A DISCOUNT line per coupon still running (a percentage of the lines, or an amount in
    the invoice's currency, never more than what is left); each uses up one period."""
    base = sum(line.amount for line in lines)
    out: list[LineSpec] = []
    currency = sub.customer.currency
    for redemption in redemptions:
        coupon = redemption.coupon
        if base <= 0:
            break
        if coupon.percent_bps is not None:
            off = base * coupon.percent_bps // 10_000
        elif coupon.currency == currency:
            off = min(coupon.amount, base)
        else:
            continue
        if off <= 0:
            continue
        base -= off
        out.append(
            LineSpec(
                kind=LineKind.DISCOUNT,
                description=_("Discount %(code)s") % {"code": coupon.code},
                amount=-off,
            )
        )
        if redemption.periods_left is not None:
            redemption.periods_left -= 1
            redemption.updated_at = timezone.now()
            spent.append(redemption)
    return out
