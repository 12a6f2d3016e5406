"""Billing benchmark (issue 22): month-end invoicing of 20,000 subscriptions whose usage comes
from 10,000,000 metered events, pre-aggregated into counters, against a naive per-subscription
loop that recounts the raw events, in the same run. Target: the run under 60 s.

    .venv/bin/python bench/billing.py                  # full size; starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x REDIS_URL=redis://h:p/0 .venv/bin/python bench/billing.py
    .venv/bin/python bench/billing.py --scale 0.1      # 2,000 subscriptions, 1,000,000 events

With DATABASE_URL it creates (and drops) its own database `hokwe_bench_billing` on that
server. The book is built set-based (bulk inserts): `--subscriptions` × scale organizations,
billing customers and active monthly subscriptions on one plan version (a flat fee of
15,000 FCFA and SMS at 25 FCFA a segment), each period ending today; `--events` × scale
metered SMS segments spread at random over them, written straight into their usage
counters (what metering leaves after handling that many `notifications.MessageSent`
events: one row per subscription, metric and period). Every customer already has its
receivable on the ledger (month-end's steady state: it was opened with its first invoice;
`--cold` leaves them for the run to open). Then, in one process:

  naive     `--naive` more subscriptions, each with its ~500 raw UsageEvent rows (the same
            average as the book), invoiced one by one (one transaction each): the raw events
            of the period recounted with SUM, the lines priced, the invoice drafted, finalized
            (numbered, posted to the ledger) and the subscription rolled; its per-subscription
            rate extrapolated to the book, stated as such. The 10,000,000 raw rows themselves
            are not inserted (that alone takes longer than the run measured);
  run       `billing_run(today)` over the book (the naive ones already rolled): chunks of 500
            due subscriptions, their counters in one query, one invoice per subscription
            (the next month's fee in advance, the ended month's SMS in arrears), drafted and
            finalized per chunk (`draft_many`, `finalize_many`: a number each, the postings
            in one `ledger.transfer_many`), then the chunk rolled (`subscriptions.renew_many`).
            Collection (a mobile-money push after commit) is off: a network call per invoice;
  breakdown 100 more subscriptions through the one-by-one core (draft, finalize, renew), each
            step timed and its queries counted;
  rerun     the same day again: nothing is invoiced twice.

Results are printed and written to var/bench-billing.json (docs/performance.md, "HokweBilling").
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import sys
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

BENCH_DB = "hokwe_bench_billing"
CURRENCY = "XOF"
FLAT = 15_000
SMS_UNIT = 25


def main() -> int:
    from _services import Servers, drop_database, prepare_database

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subscriptions", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=10_000_000, help="metered SMS segments in the period")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of --subscriptions and --events")
    parser.add_argument("--naive", type=int, default=200, help="subscriptions through the naive loop")
    parser.add_argument(
        "--cold", action="store_true", help="customers without a receivable yet (their first invoice)"
    )
    args = parser.parse_args()

    servers = Servers(prefix="hokwe-bench-billing-")
    server_url = os.environ.get("DATABASE_URL") or servers.start_postgres()
    redis_url = os.environ.get("REDIS_URL") or servers.start_redis()
    os.environ["DATABASE_URL"] = prepare_database(server_url, BENCH_DB)
    os.environ["REDIS_URL"] = redis_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hokwe.settings.test")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    try:
        return run(args)
    finally:
        drop_database(server_url, BENCH_DB)
        servers.stop()


# --- the book -----------------------------------------------------------------------------


def catalog():
    from apps.billing.models import BillableMetric, Price
    from tests.fixtures.billing import make_plan

    metric = BillableMetric.objects.create(
        code="sms",
        name="SMS envoyés",
        event_name="notifications.MessageSent",
        filters={"channel": "sms"},
        aggregation="sum",
        field="segments",
        unit_name="SMS",
    )
    version = make_plan(flat=FLAT)
    Price.objects.create(version=version, kind="usage", name="SMS", metric=metric, amount=SMS_UNIT)
    return version, metric


def book_subscriptions(n: int, version, start: date, end: date, tag: str, *, chunk: int = 5_000) -> list[int]:
    """`n` organizations, billing customers and active subscriptions due on `end`."""
    from apps.billing.models import Customer, Subscription
    from apps.identity.models import Organization

    ids: list[int] = []
    for n0 in range(0, n, chunk):
        size = min(chunk, n - n0)
        orgs = Organization.objects.bulk_create(
            [Organization(name=f"Agence {tag} {n0 + i}", kind="agency", city="Cotonou") for i in range(size)]
        )
        customers = Customer.objects.bulk_create(
            [Customer(organization=org, legal_name=org.name, country="BJ", currency=CURRENCY) for org in orgs]
        )
        subs = Subscription.objects.bulk_create(
            [
                Subscription(
                    customer=c,
                    version=version,
                    status="active",
                    started_on=start,
                    current_period_start=start,
                    current_period_end=end,
                )
                for c in customers
            ]
        )
        ids += [s.pk for s in subs]
    return ids


def spread(total: int, n: int, rnd: random.Random) -> list[int]:
    """`total` events over `n` subscriptions, unevenly (a few heavy senders, many light)."""
    weights = [rnd.paretovariate(2.0) for _ in range(n)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    counts[0] += total - sum(counts)
    return counts


def counters(sub_ids: list[int], metric, start: date, total: int, rnd: random.Random) -> None:
    from apps.billing.models import UsageCounter

    UsageCounter.objects.bulk_create(
        [
            UsageCounter(subscription_id=sid, metric=metric, period_start=start, value=value)
            for sid, value in zip(sub_ids, spread(total, len(sub_ids), rnd), strict=True)
            if value
        ],
        batch_size=5_000,
    )


def raw_events(sub_ids: list[int], metric, start: date, per_sub: int) -> int:
    """The naive sample's raw UsageEvent rows (one per SMS, value = its segments)."""
    from django.utils import timezone

    from apps.billing.models import UsageEvent

    when = timezone.now()
    rows = [
        UsageEvent(
            metric=metric,
            subscription_id=sid,
            period_start=start,
            event_id=uuid.uuid4().hex,
            value=1,
            occurred_at=when,
        )
        for sid in sub_ids
        for _ in range(per_sub)
    ]
    UsageEvent.objects.bulk_create(rows, batch_size=10_000)
    return len(rows)


# --- the naive loop -----------------------------------------------------------------------


def naive_run(sub_ids: list[int], today: date) -> int:
    """One subscription at a time: recount the raw events, price, draft, finalize, roll."""
    from django.db import transaction
    from django.db.models import Sum

    from apps.billing.contracts import InvoiceKind
    from apps.billing.models import Subscription, UsageEvent
    from apps.billing.services import invoices, pricing, subscriptions
    from apps.billing.services.run import next_period_end, origin_key

    made = 0
    for sid in sub_ids:
        with transaction.atomic():
            sub = Subscription.objects.select_for_update().select_related("customer", "version").get(pk=sid)
            usage = {
                code: value
                for code, value in UsageEvent.objects.filter(
                    subscription=sub, period_start=sub.current_period_start
                )
                .values_list("metric__code")
                .annotate(total=Sum("value"))
            }
            start = sub.current_period_end
            lines = pricing.recurring_lines(
                sub.version,
                quantities={},
                period_start=start,
                period_end=next_period_end(start, sub.version.interval),
            ) + pricing.usage_lines(
                sub.version, usage=usage, period_start=sub.current_period_start, period_end=start
            )
            invoice = invoices.draft(
                customer=sub.customer,
                kind=InvoiceKind.SUBSCRIPTION,
                origin_key=origin_key(sub, start),
                lines=lines,
                subscription=sub,
                period_start=start,
                period_end=next_period_end(start, sub.version.interval),
            )
            invoices.finalize(invoice, today=today)
            subscriptions.renew(sub, today=today)
            made += 1
    return made


# --- the measure --------------------------------------------------------------------------


def breakdown(version, metric, start: date, today: date, per_sub: int, steady: bool, n: int = 100) -> dict:
    """Where an invoice's time goes: `n` more subscriptions, each step of the run timed and
    its queries counted separately (draft with its lines, finalize: number, ledger posting,
    event; the roll to the next period)."""
    from django.db import connection, transaction

    from apps.billing.contracts import InvoiceKind
    from apps.billing.models import Subscription
    from apps.billing.services import invoices, pricing, subscriptions
    from apps.billing.services.run import next_period_end, origin_key

    ids = book_subscriptions(n, version, start, today, "P")
    if steady:
        receivables(ids)
    counters(ids, metric, start, per_sub * n, random.Random(7))
    steps = {"draft": [0.0, 0], "finalize": [0.0, 0], "renew": [0.0, 0]}
    current = {"step": "draft"}

    def counting(execute, sql, params, many, context):
        steps[current["step"]][1] += 1
        return execute(sql, params, many, context)

    subs = list(Subscription.objects.filter(pk__in=ids).select_related("customer", "version"))
    with connection.execute_wrapper(counting):
        for sub in subs:
            with transaction.atomic():
                begin = sub.current_period_end
                end = next_period_end(begin, sub.version.interval)
                lines = pricing.recurring_lines(
                    sub.version, quantities={}, period_start=begin, period_end=end
                )
                current["step"], t = "draft", time.perf_counter()
                invoice = invoices.draft(
                    customer=sub.customer,
                    kind=InvoiceKind.SUBSCRIPTION,
                    origin_key=origin_key(sub, begin),
                    lines=lines,
                    subscription=sub,
                    period_start=begin,
                    period_end=end,
                )
                steps["draft"][0] += time.perf_counter() - t
                current["step"], t = "finalize", time.perf_counter()
                invoices.finalize(invoice, today=today)
                steps["finalize"][0] += time.perf_counter() - t
                current["step"], t = "renew", time.perf_counter()
                subscriptions.renew(sub, today=today)
                steps["renew"][0] += time.perf_counter() - t
    return {
        name: {"ms": round(seconds / n * 1000, 2), "queries": round(count / n, 1)}
        for name, (seconds, count) in steps.items()
    }


def receivables(sub_ids: list[int]) -> None:
    """Month-end's steady state: every customer already has its receivable on the ledger
    (opened with its first invoice, months ago)."""
    from apps.billing.models import Customer
    from apps.billing.services import accounts

    for customer in Customer.objects.filter(subscriptions__id__in=sub_ids):
        accounts.receivable(customer)


def measure(n: int, events: int, naive: int, today: date, steady: bool = True) -> dict:
    from dateutil.relativedelta import relativedelta
    from django.db import connection

    from apps.billing.models import Invoice, InvoiceLine
    from apps.billing.services.run import billing_run

    rnd = random.Random(22)
    start = today - relativedelta(months=1)
    out: dict = {"subscriptions": n, "events": events, "naive_sample": naive}

    t = time.perf_counter()
    version, metric = catalog()
    book = book_subscriptions(n, version, start, today, "B")
    counters(book, metric, start, events, rnd)
    out["setup_book_seconds"] = round(time.perf_counter() - t, 1)
    if steady:
        t = time.perf_counter()
        receivables(book)
        out["setup_receivables_seconds"] = round(time.perf_counter() - t, 1)
    out["steady_state"] = steady

    per_sub = max(events // max(n, 1), 1)
    t = time.perf_counter()
    sample = book_subscriptions(naive, version, start, today, "N")
    if steady:
        receivables(sample)
    out["naive_raw_events_inserted"] = raw_events(sample, metric, start, per_sub)
    out["setup_naive_seconds"] = round(time.perf_counter() - t, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    t = time.perf_counter()
    naive_run(sample, today)
    naive_seconds = time.perf_counter() - t
    out["naive_seconds"] = round(naive_seconds, 2)
    out["naive_per_subscription_ms"] = round(naive_seconds / max(naive, 1) * 1000, 2)
    out["naive_extrapolated_seconds"] = round(naive_seconds / max(naive, 1) * n, 1)

    queries = {"count": 0}

    def counting(execute, sql, params, many, context):
        queries["count"] += 1
        return execute(sql, params, many, context)

    t = time.perf_counter()
    with connection.execute_wrapper(counting):
        result = billing_run(today=today, collect=False)
    run_seconds = time.perf_counter() - t
    out["run"] = result
    out["run_seconds"] = round(run_seconds, 2)
    out["run_invoices_per_second"] = round(result["invoices"] / run_seconds, 1) if run_seconds else None
    out["run_queries"] = queries["count"]
    out["run_queries_per_invoice"] = round(queries["count"] / max(result["invoices"], 1), 1)
    out["ratio_naive_over_run"] = (
        round(out["naive_extrapolated_seconds"] / run_seconds, 2) if run_seconds else None
    )
    out["target_seconds"] = 60
    out["under_target_at_full_size"] = None
    if n:
        out["run_extrapolated_to_20000_seconds"] = round(run_seconds / n * 20_000, 1)

    out["per_invoice_breakdown"] = breakdown(version, metric, start, today, per_sub, steady)

    t = time.perf_counter()
    again = billing_run(today=today, collect=False)
    out["rerun"] = again
    out["rerun_seconds"] = round(time.perf_counter() - t, 2)

    billed = Invoice.objects.filter(subscription_id__in=book).count()
    sms = sum(
        InvoiceLine.objects.filter(invoice__subscription_id__in=book, metric="sms").values_list(
            "quantity", flat=True
        )
    )
    out["check"] = {"invoices_for_book": billed, "sms_billed": sms, "sms_metered": events}
    assert billed == n, "one invoice per subscription"
    assert sms == events, "every metered SMS billed once"
    assert again["invoices"] == 0, "a second run makes nothing"
    out["under_target_at_full_size"] = out.get("run_extrapolated_to_20000_seconds", run_seconds) < 60
    return out


def run(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from hokwe.celery import app

    call_command("migrate", verbosity=0)
    settings.CELERY_TASK_ALWAYS_EAGER = False  # events are queued on Redis, not run here
    app.conf.task_always_eager = False
    with contextlib.suppress(Exception):
        app.connection_for_write().default_channel.client.flushdb()

    from _services import peak_rss_mib

    today = timezone.localdate()
    n = int(args.subscriptions * args.scale)
    events = int(args.events * args.scale)
    report: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "today": today.isoformat(),
        "scale": args.scale,
    }
    report.update(measure(n, events, args.naive, today, steady=not args.cold))
    report["peak_rss_mib"] = round(peak_rss_mib(), 1)
    print(json.dumps(report, indent=2, default=str), flush=True)
    out = ROOT / "var" / "bench-billing.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"written to {out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
