"""Analytics benchmark (issue 25): the dashboard from rollups against the same figures from the
source tables, and the rollups' update throughput, on a portfolio of 50,000 units with three
years of dues and payments.

    .venv/bin/python bench/analytics.py                        # starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x .venv/bin/python bench/analytics.py
    .venv/bin/python bench/analytics.py --units 5000 --months 12   # a quicker run

The portfolio is built set-based (bulk inserts, as bench/recovery.py does): one agency, ten
owners, 100 units a property, one lease a unit with a due every month for --months months,
nine dues in ten paid (one in five of those late), one unit in twelve vacant. The history's
rollups are loaded the way a backfill would (the facts of each property and day, summed), then:

  dashboard   services.dashboard.agency_dashboard (12 months of tiles and chart, rollups
              only) p50/p95 over --runs calls; the baseline computes the same figures
              (expected, collected, on-time, occupancy, arrears, 12 months) from the source
              tables (estate's dues, payments and units) in the same run; ratio = baseline p95
              / rollups p95
  throughput  --events new RentPaymentApplied events through estate's kpis source (their
              places looked up, one query per batch) and services.rollups.apply_facts, in
              batches of --batch: events/s (each event adds to six rows: organization,
              property and owner, day and month); and the same facts applied again: nothing
              added (the ids are known)
Results are printed and written to var/bench-analytics.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from _services import django_bench_database, peak_rss_mib  # noqa: E402

TODAY = date(2026, 11, 20)


def months_back(day: date, n: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 - n, 12)
    return date(y, m + 1, 1)


def build(units: int, months: int, chunk: int = 5_000):
    """The portfolio; returns (agency, owners' public ids, rows created)."""
    from apps.estate.models import Lease, Mandate, Property, RentDue, RentPayment, Unit
    from apps.identity.models import Organization

    agency = Organization.objects.create(name="Agence Bench", kind="agency", city="Cotonou", country="BJ")
    mandates = [
        Mandate.objects.create(
            agency=agency,
            owner=Organization.objects.create(name=f"Propriétaire {i}", kind="owner"),
            commission_bps=1000,
            start_date=date(2020, 1, 1),
        )
        for i in range(10)
    ]
    periods = [months_back(TODAY, n) for n in range(months - 1, -1, -1)]
    created = 0
    for n0 in range(0, units, chunk):
        n1 = min(units, n0 + chunk)
        props = Property.objects.bulk_create(
            [
                Property(
                    organization=agency,
                    owner=mandates[p % 10].owner,
                    mandate=mandates[p % 10],
                    name=f"Résidence {p}",
                    city="Cotonou",
                )
                for p in range(n0 // 100, (n1 + 99) // 100)
            ]
        )
        base = n0 // 100
        unit_rows = Unit.objects.bulk_create(
            [
                Unit(
                    property=props[n // 100 - base],
                    organization=agency,
                    label=f"U{n}",
                    kind="apartment",
                    market_rent=50_000,
                    status="vacant" if n % 12 == 0 else "occupied",
                )
                for n in range(n0, n1)
            ],
            batch_size=chunk,
        )
        leases = Lease.objects.bulk_create(
            [
                Lease(
                    organization=agency,
                    unit=u,
                    reference=f"B-{n}",
                    start_date=periods[0],
                    rent=40_000 + (n % 9) * 5_000,
                    charges=5_000,
                    due_day=5,
                    grace_days=5,
                )
                for n, u in zip(range(n0, n1), unit_rows, strict=True)
                if n % 12
            ],
            batch_size=chunk,
        )
        dues, payments = [], []
        for lease in leases:
            for i, period in enumerate(periods):
                paid = (lease.pk + i) % 10 != 0
                late = (lease.pk + i) % 5 == 0
                total = lease.rent + lease.charges
                dues.append(
                    RentDue(
                        organization=agency,
                        lease=lease,
                        period=period,
                        due_date=period.replace(day=5),
                        grace_until=period.replace(day=10),
                        rent=lease.rent,
                        charges=lease.charges,
                        total=total,
                        paid=total if paid else 0,
                        status="paid" if paid else "overdue",
                        reference=f"LOY-{period:%Y-%m}-{lease.pk:07d}",
                        pay_token=f"a{period:%y%m}l{lease.pk}",
                    )
                )
                if paid:
                    payments.append(
                        RentPayment(
                            organization=agency,
                            lease=lease,
                            amount=total,
                            method=("mobile_money", "cash", "bank_transfer")[(lease.pk + i) % 3],
                            received_on=period.replace(day=20 if late else 3),
                        )
                    )
        RentDue.objects.bulk_create(dues, batch_size=chunk)
        RentPayment.objects.bulk_create(payments, batch_size=chunk)
        created += len(dues) + len(payments)
    return agency, [m.owner.public_id for m in mandates], created


def backfill(agency, today: date) -> int:
    """The history's facts, summed per property and day (set-based reads), applied once."""
    from django.db.models import Count, Sum

    from apps.analytics.services.nightly import snapshot_day
    from apps.analytics.services.rollups import apply_facts
    from apps.core.kpis import Fact
    from apps.estate.models import RentDue, RentPayment

    org = str(agency.public_id)
    facts = []
    for row in (
        RentDue.objects.values(
            "due_date", "lease__unit__property__public_id", "lease__unit__property__owner__public_id"
        )
        .annotate(v=Sum("total"), n=Count("id"))
        .iterator(chunk_size=10_000)
    ):
        facts.append(
            Fact(
                "rent.expected",
                organization=org,
                day=row["due_date"],
                value=int(row["v"]),
                count=row["n"],
                currency="XOF",
                property=str(row["lease__unit__property__public_id"]),
                owner=str(row["lease__unit__property__owner__public_id"]),
            )
        )
    for row in (
        RentPayment.objects.values(
            "received_on",
            "method",
            "lease__unit__property__public_id",
            "lease__unit__property__owner__public_id",
        )
        .annotate(v=Sum("amount"), n=Count("id"))
        .iterator(chunk_size=10_000)
    ):
        common = {
            "organization": org,
            "day": row["received_on"],
            "currency": "XOF",
            "property": str(row["lease__unit__property__public_id"]),
            "owner": str(row["lease__unit__property__owner__public_id"]),
        }
        facts.append(
            Fact("rent.collected", value=int(row["v"]), count=row["n"], dimension=row["method"], **common)
        )
        if row["received_on"].day <= 10:
            facts.append(Fact("rent.paid_on_time", value=int(row["v"]), count=row["n"], **common))
    for start in range(0, len(facts), 5_000):
        apply_facts([(uuid.uuid4(), "bench.backfill", facts[start : start + 5_000])])
    # a snapshot a day for the last two months (occupancy and arrears), as the nights would
    day = months_back(today, 1)
    while day <= today:
        snapshot_day(day)
        day += timedelta(days=7)
    snapshot_day(today)
    return len(facts)


def source_dashboard(agency, today: date) -> dict:
    """The same figures from the source tables: what a dashboard costs without rollups."""
    from django.db.models import Count, Q, Sum
    from django.db.models.functions import TruncMonth

    from apps.estate.models import RentDue, RentPayment, Unit

    first = months_back(today, 11)
    expected = dict(
        RentDue.objects.filter(organization=agency, due_date__gte=first)
        .annotate(m=TruncMonth("due_date"))
        .values("m")
        .annotate(v=Sum("total"))
        .values_list("m", "v")
    )
    collected = dict(
        RentPayment.objects.filter(organization=agency, received_on__gte=first)
        .annotate(m=TruncMonth("received_on"))
        .values("m")
        .annotate(v=Sum("amount"))
        .values_list("m", "v")
    )
    on_time = RentPayment.objects.filter(
        organization=agency, received_on__gte=today.replace(day=1), received_on__day__lte=10
    ).aggregate(v=Sum("amount"))["v"]
    units = Unit.objects.filter(organization=agency).aggregate(
        t=Count("id"), o=Count("id", filter=Q(status="occupied"))
    )
    arrears = RentDue.objects.filter(organization=agency, status="overdue", due_date__lt=today).aggregate(
        v=Sum("total")
    )["v"]
    return {
        "expected": expected,
        "collected": collected,
        "on_time": on_time,
        "units": units,
        "arrears": arrears,
    }


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def throughput(agency, events: int, batch: int) -> dict:
    from apps.analytics.services.registry import kpis
    from apps.analytics.services.rollups import apply_facts
    from apps.estate.events import RentPaymentApplied
    from apps.estate.models import Lease

    lease_ids = list(Lease.objects.filter(organization=agency).values_list("public_id", flat=True)[:events])
    source = kpis().sources[RentPaymentApplied.name][0]
    made = [
        (
            uuid.uuid4(),
            RentPaymentApplied(
                payment_id=str(uuid.uuid4()),
                lease_id=str(lease_ids[i % len(lease_ids)]),
                organization_id=str(agency.public_id),
                amount=45_000 + (i % 7) * 1_000,
                currency="XOF",
                method=("mobile_money", "cash")[i % 2],
                received_on=(TODAY - timedelta(days=i % 20)).isoformat(),
                outstanding=0,
            ),
        )
        for i in range(events)
    ]
    started = time.perf_counter()
    facts_by_batch = []
    for start in range(0, len(made), batch):
        chunk = made[start : start + batch]
        facts = list(source.facts([e for _id, e in chunk]))
        prepared = [(event_id, e.name, f) for (event_id, e), f in zip(chunk, facts, strict=True)]
        facts_by_batch.append(prepared)
        apply_facts(prepared)
    full = time.perf_counter() - started
    started = time.perf_counter()
    again = sum(apply_facts(prepared) for prepared in facts_by_batch)
    replay = time.perf_counter() - started
    return {
        "events": events,
        "batch": batch,
        "seconds": round(full, 2),
        "events_per_s": round(events / full),
        "replayed_added": again,
        "replay_events_per_s": round(events / replay),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    with django_bench_database("hokwe-bench-analytics-", "hokwe_bench_analytics", keep=args.keep):
        from django.db import connection

        from apps.analytics.models import Rollup
        from apps.analytics.services.dashboard import agency_dashboard

        started = time.perf_counter()
        agency, _owners, rows = build(args.units, args.months)
        built = time.perf_counter() - started
        started = time.perf_counter()
        facts = backfill(agency, TODAY)
        loaded = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        rollup_rows = Rollup.objects.count()

        board = agency_dashboard(agency.public_id, today=TODAY)
        source = source_dashboard(agency, TODAY)
        month = TODAY.replace(day=1)
        same = board.collected[-1] == int(source["collected"].get(month, 0)) and board.expected[-1] == int(
            source["expected"].get(month, 0)
        )
        agency_dashboard(agency.public_id, today=TODAY)  # warm
        fast = timed(lambda: agency_dashboard(agency.public_id, today=TODAY), args.runs)
        slow = timed(lambda: source_dashboard(agency, TODAY), max(5, args.runs // 6))
        result = {
            "units": args.units,
            "months": args.months,
            "source_rows": rows,
            "build_s": round(built, 1),
            "backfill_facts": facts,
            "backfill_s": round(loaded, 1),
            "rollup_rows": rollup_rows,
            "figures_match_source": same,
            "dashboard_rollups_ms": {"p50": round(pct(fast, 0.5), 2), "p95": round(pct(fast, 0.95), 2)},
            "dashboard_source_ms": {"p50": round(pct(slow, 0.5), 1), "p95": round(pct(slow, 0.95), 1)},
            "dashboard_ratio_p95": round(pct(slow, 0.95) / pct(fast, 0.95), 1),
            "throughput": throughput(agency, args.events, args.batch),
            "peak_rss_mib": round(peak_rss_mib()),
        }
    print(json.dumps(result, indent=2, default=str))
    out = ROOT / "var" / "bench-analytics.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str))
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
