"""The billing run: one invoice per subscription and period (a repeated run makes nothing),
recurring fees in advance and usage in arrears, a trial converting to its first paid
invoice, coupons for N periods, a cancellation at the period's end."""

from __future__ import annotations

from datetime import date

import pytest

from apps.billing.contracts import InvoiceStatus, LineKind, SubscriptionStatus
from apps.billing.models import (
    BillableMetric,
    Coupon,
    CouponRedemption,
    Invoice,
    Price,
    Subscription,
    UsageCounter,
)
from apps.billing.services import accounts
from apps.billing.services.invoices import customer_for
from apps.billing.services.run import billing_run
from apps.ledger import api as ledger
from tests.fixtures.billing import make_plan

pytestmark = pytest.mark.django_db

NOV, DEC, JAN, FEB = date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)


def subscribe(org, version, *, status="active", start=NOV, end=DEC, **fields) -> Subscription:
    return Subscription.objects.create(
        customer=customer_for(org.id),
        version=version,
        status=status,
        started_on=start,
        current_period_start=start,
        current_period_end=end,
        **fields,
    )


def sms_plan(flat=15_000, unit=25):
    metric = BillableMetric.objects.create(
        code="sms",
        name="SMS envoyés",
        event_name="notifications.MessageSent",
        filters={"channel": "sms"},
        aggregation="sum",
        field="segments",
    )
    version = make_plan(flat=flat)
    Price.objects.create(version=version, kind="usage", name="SMS", metric=metric, amount=unit)
    return version, metric


def test_the_run_is_idempotent(org_a, org_b):
    version = make_plan(flat=15_000)
    a = subscribe(org_a, version)
    b = subscribe(org_b, version, start=DEC, end=JAN)  # not due yet
    first = billing_run(today=DEC, collect=False)
    assert (first["invoices"], first["subscriptions"]) == (1, 1)
    invoice = Invoice.objects.get(subscription=a)
    assert invoice.origin_key == f"renewal:{a.public_id}:2026-12-01"
    assert (invoice.status, invoice.total, invoice.period_start, invoice.period_end) == (
        InvoiceStatus.OPEN,
        17_700,
        DEC,
        JAN,
    )
    assert invoice.number.startswith("FA-BJ-2026-")
    receivable = accounts.receivable(invoice.customer)
    assert ledger.balance(account=receivable).posted == 17_700  # posted once, in the batch
    again = billing_run(today=DEC, collect=False)
    assert (again["invoices"], again["subscriptions"]) == (0, 0)
    a.refresh_from_db()
    assert (a.current_period_start, a.current_period_end) == (DEC, JAN)
    assert Invoice.objects.filter(subscription__in=[a, b]).count() == 1


def test_a_run_missed_for_two_months_catches_up_one_invoice_per_period(org_a):
    sub = subscribe(org_a, make_plan(flat=10_000))
    result = billing_run(today=date(2027, 1, 15), collect=False)
    assert result["invoices"] == 2
    assert sorted(Invoice.objects.filter(subscription=sub).values_list("period_start", flat=True)) == [
        DEC,
        JAN,
    ]
    sub.refresh_from_db()
    assert sub.current_period_end == FEB


def test_a_trial_converts_to_its_first_paid_invoice(org_a):
    version, metric = sms_plan()
    sub = subscribe(org_a, version, status="trialing", trial_ends_on=DEC)
    UsageCounter.objects.create(subscription=sub, metric=metric, period_start=NOV, value=40)
    result = billing_run(today=DEC, collect=False)
    assert result["converted"] == 1
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.ACTIVE
    invoice = Invoice.objects.get(subscription=sub)
    # the first paid period in advance; the trial's usage is free
    assert [(line.kind, line.amount) for line in invoice.lines.all()] == [(LineKind.RECURRING, 15_000)]


def test_usage_is_billed_in_arrears_with_the_next_period_in_advance(org_a):
    version, metric = sms_plan()
    sub = subscribe(org_a, version)
    UsageCounter.objects.create(subscription=sub, metric=metric, period_start=NOV, value=120)
    UsageCounter.objects.create(subscription=sub, metric=metric, period_start=DEC, value=7)  # not yet
    billing_run(today=DEC, collect=False)
    invoice = Invoice.objects.get(subscription=sub)
    lines = {line.kind: line for line in invoice.lines.all()}
    assert (lines[LineKind.RECURRING].period_start, lines[LineKind.RECURRING].period_end) == (DEC, JAN)
    usage = lines[LineKind.USAGE]
    assert (usage.quantity, usage.amount, usage.period_start, usage.period_end) == (120, 3_000, NOV, DEC)
    assert invoice.subtotal == 18_000
    assert invoice.tax == sum(line.tax for line in invoice.lines.all()) == 3_240


def test_a_coupon_discounts_its_periods_then_stops(org_a):
    sub = subscribe(org_a, make_plan(flat=20_000))
    coupon = Coupon.objects.create(code="BIENVENUE", name="Bienvenue", percent_bps=5_000, duration_periods=2)
    redemption = CouponRedemption.objects.create(coupon=coupon, subscription=sub, periods_left=2)
    for day in (DEC, JAN, FEB):
        billing_run(today=day, collect=False)
        billing_run(today=day, collect=False)  # a repeated run uses no period
    discounts = [
        (inv.period_start, inv.discount)
        for inv in Invoice.objects.filter(subscription=sub).order_by("period_start")
    ]
    assert discounts == [(DEC, 10_000), (JAN, 10_000), (FEB, 0)]
    redemption.refresh_from_db()
    assert redemption.periods_left == 0
    dec = Invoice.objects.get(subscription=sub, period_start=DEC)
    [line] = dec.lines.filter(kind=LineKind.DISCOUNT)
    assert (line.amount, line.tax) == (-10_000, -1_800)
    assert dec.total == 20_000 - 10_000 + 3_600 - 1_800


def test_an_amount_coupon_never_discounts_more_than_the_invoice(org_a):
    sub = subscribe(org_a, make_plan(flat=5_000))
    coupon = Coupon.objects.create(
        code="GROS", name="Gros", amount=8_000, currency="XOF", duration_periods=None
    )
    CouponRedemption.objects.create(coupon=coupon, subscription=sub, periods_left=None)
    billing_run(today=DEC, collect=False)
    invoice = Invoice.objects.get(subscription=sub)
    assert (invoice.discount, invoice.total, invoice.status) == (5_000, 0, InvoiceStatus.PAID)


def test_a_cancellation_at_the_period_end_bills_the_last_usage_only(org_a):
    version, metric = sms_plan()
    sub = subscribe(org_a, version, cancel_at_period_end=True)
    UsageCounter.objects.create(subscription=sub, metric=metric, period_start=NOV, value=10)
    billing_run(today=DEC, collect=False)
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.CANCELED
    invoice = Invoice.objects.get(subscription=sub)
    assert [(line.kind, line.amount) for line in invoice.lines.all()] == [(LineKind.USAGE, 250)]
    assert billing_run(today=JAN, collect=False)["invoices"] == 0


def test_a_paused_subscription_is_neither_invoiced_nor_rolled(org_a):
    sub = subscribe(org_a, make_plan(flat=5_000), status="paused")
    assert billing_run(today=DEC, collect=False)["subscriptions"] == 0
    assert not Invoice.objects.filter(subscription=sub).exists()
