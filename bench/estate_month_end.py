"""Estate benchmark (issue 10): the month-end run over 10,000 and 100,000 active leases.

    .venv/bin/python bench/estate_month_end.py                      # starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x REDIS_URL=redis://h:p/0 .venv/bin/python bench/estate_month_end.py
    .venv/bin/python bench/estate_month_end.py --small 2000 --large 20000   # a quicker run

With DATABASE_URL it creates (and drops) its own database `hokwe_bench_estate` on that
server. What it measures, in one process:

  month-end  services.month_end_run: next period's dues for every active lease, in batches
             (bulk insert + one set-based ledger batch + one outbox event per batch), over
             --small leases, then over --large leases (the same data grown); leases/s
  growth     seconds(large) / seconds(small) against leases(large) / leases(small): linear
             when the per-lease time stays flat
  queries    SQL statements per batch in both runs (must not grow with the portfolio)
  naive      --naive leases through a per-lease ORM loop (terms lookup, exists check, save,
             one ledger.transfer each), same run: the baseline; ratio = month-end rate / naive
  memory     peak RSS of the process (ru_maxrss)
Results are printed and written to var/bench-estate-month-end.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from _services import (  # noqa: E402
    Servers,
    drop_database,
    peak_rss_mib,
    prepare_database,
)

BENCH_DB = "hokwe_bench_estate"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=10_000, help="active leases in the first run")
    parser.add_argument("--large", type=int, default=100_000, help="active leases in the second run")
    parser.add_argument("--naive", type=int, default=2_000, help="leases through the per-lease ORM loop")
    parser.add_argument(
        "--batch", type=int, default=None, help="ESTATE_MONTH_END_BATCH_SIZE (default: settings)"
    )
    args = parser.parse_args()

    servers = Servers(prefix="hokwe-bench-estate-")
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


# --- data -------------------------------------------------------------------------------


class World:
    """One agency managing the properties of 10 owners: 100 units per property."""

    def __init__(self):
        from apps.estate.models import Mandate
        from apps.identity.models import Membership, Organization, User

        self.agency = Organization.objects.create(name="Agence Bench", kind="agency", city="Cotonou")
        self.owners = [Organization.objects.create(name=f"Propriétaire {i}", kind="owner") for i in range(10)]
        self.manager = User.objects.create_user("+2290197990001", "bench", full_name="Gestionnaire Bench")
        Membership.objects.create(organization=self.agency, user=self.manager, role="owner")
        self.mandates = [
            Mandate.objects.create(
                agency=self.agency, owner=o, commission_bps=800 + 50 * i, start_date=date(2025, 1, 1)
            )
            for i, o in enumerate(self.owners)
        ]
        self.count = 0

    def grow(self, total: int, chunk: int = 10_000) -> None:
        """Add leases (units, tenants, terms) until there are `total`, with bulk inserts."""
        from apps.estate.models import Lease, LeaseTenant, LeaseTerms, Property, Unit
        from apps.identity.models import User

        while self.count < total:
            n0, n1 = self.count, min(total, self.count + chunk)
            props = Property.objects.bulk_create(
                [
                    Property(
                        organization=self.agency,
                        owner=self.mandates[(p // 1) % 10].owner,
                        mandate=self.mandates[p % 10],
                        name=f"Résidence {p}",
                        city="Cotonou",
                        neighbourhood="Fidjrossè",
                    )
                    for p in range(n0 // 100, (n1 + 99) // 100)
                ]
            )
            units = Unit.objects.bulk_create(
                [
                    Unit(
                        property=props[(n - n0) // 100],
                        organization=self.agency,
                        label=f"U{n}",
                        kind="apartment",
                        market_rent=50_000,
                        status="occupied",
                    )
                    for n in range(n0, n1)
                ],
                batch_size=5_000,
            )
            users = User.objects.bulk_create(
                [
                    User(phone=f"+22901{50_000_000 + n}", full_name=f"Locataire {n}", password="!")
                    for n in range(n0, n1)
                ],
                batch_size=5_000,
            )
            rents = [40_000 + (n % 9) * 5_000 for n in range(n0, n1)]
            leases = Lease.objects.bulk_create(
                [
                    Lease(
                        organization=self.agency,
                        unit=u,
                        reference=f"BENCH-{n}",
                        start_date=date(2026, 1, 1),
                        rent=rents[i],
                        charges=2_000 if n % 3 == 0 else 0,
                        due_day=5,
                        grace_days=5,
                    )
                    for i, (n, u) in enumerate(zip(range(n0, n1), units, strict=True))
                ],
                batch_size=5_000,
            )
            LeaseTenant.objects.bulk_create(
                [
                    LeaseTenant(lease=lease, user=user, is_primary=True)
                    for lease, user in zip(leases, users, strict=True)
                ],
                batch_size=5_000,
            )
            LeaseTerms.objects.bulk_create(
                [
                    LeaseTerms(
                        lease=lease, effective_from=date(2026, 1, 1), rent=lease.rent, charges=lease.charges
                    )
                    for lease in leases
                ],
                batch_size=5_000,
            )
            self.count = n1
            print(f"  {self.count:,} leases", flush=True)


# --- the runs -----------------------------------------------------------------------------


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class BatchMarks(logging.Handler):
    """The query count at each batch's progress log line: queries per batch."""

    def __init__(self, counter):
        super().__init__()
        self.counter, self.marks = counter, []

    def emit(self, record):
        if "estate_month_end_progress" in str(record.msg):
            self.marks.append(self.counter.count)


def timed_run(period: date, batch: int | None) -> dict:
    from django.conf import settings
    from django.db import connection

    from apps.estate.services import month_end_run

    batch = batch or settings.ESTATE_MONTH_END_BATCH_SIZE
    counter = QueryCounter()
    marks = BatchMarks(counter)
    log = logging.getLogger("hokwe.estate")
    log.addHandler(marks)
    level = log.level
    log.setLevel(logging.INFO)
    try:
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            result = month_end_run(period=period, batch_size=batch)
            seconds = time.perf_counter() - started
    finally:
        log.removeHandler(marks)
        log.setLevel(level)
    per_batch = [b - a for a, b in zip(marks.marks, marks.marks[1:], strict=False)]
    return {
        "period": period.isoformat(),
        "leases": result.leases,
        "dues_created": result.created,
        "batches": result.batches,
        "batch_size": batch,
        "seconds": round(seconds, 2),
        "leases_per_second": round(result.leases / seconds),
        "queries": counter.count,
        "queries_first_batch": marks.marks[0] if marks.marks else 0,  # includes the ledger account look-ups
        "queries_per_batch": sorted(set(per_batch)) or [marks.marks[0] if marks.marks else 0],
        "peak_rss_mib": round(peak_rss_mib()),
    }


def naive_run(period: date, limit: int) -> dict:
    """The obvious per-lease ORM loop: what the run would be without the set-based path."""
    from django.db import transaction

    from apps.estate import domain
    from apps.estate.models import Lease, LeaseTerms, RentDue
    from apps.estate.services import ledgering

    accounts = ledgering.Accounts()
    leases = list(
        Lease.objects.filter(status="active")
        .select_related("organization", "unit__property__owner", "unit__property__mandate")
        .order_by("id")[:limit]
    )
    started = time.perf_counter()
    for lease in leases:
        with transaction.atomic():
            terms = (
                LeaseTerms.objects.filter(lease=lease, effective_from__lte=period)
                .order_by("-effective_from")
                .first()
            )
            if RentDue.objects.filter(lease=lease, period=period).exists():
                continue
            rent, charges = (terms.rent, terms.charges) if terms else (lease.rent, lease.charges)
            due_date = domain.due_date_of(period, lease.due_day)
            bps = lease.unit.property.mandate.commission_bps if lease.unit.property.mandate else 0
            due = RentDue.objects.create(
                organization_id=lease.organization_id,
                lease=lease,
                period=period,
                due_date=due_date,
                grace_until=date.fromordinal(due_date.toordinal() + lease.grace_days),
                rent=rent,
                charges=charges,
                total=rent + charges,
                commission_bps=bps,
                currency=lease.currency,
                reference=f"LOY-{period:%Y-%m}-{lease.pk:06d}",
                pay_token=f"naive{lease.pk}",
            )
            ledgering.post(
                ledgering.accrual_request(
                    accounts,
                    key=f"estate:due:{due.public_id}",
                    code="rent_due",
                    org=lease.organization.public_id,
                    owner=lease.unit.property.owner.public_id,
                    amount=due.total,
                    commission=domain.commission_of(due.total, bps),
                    currency=due.currency,
                    reference=f"estate.RentDue:{due.public_id}",
                )
            )
    seconds = time.perf_counter() - started
    return {
        "leases": len(leases),
        "seconds": round(seconds, 2),
        "leases_per_second": round(len(leases) / seconds),
    }


def run(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from hokwe.celery import app

    call_command("migrate", verbosity=0)
    settings.CELERY_TASK_ALWAYS_EAGER = False  # events are queued for the notices, not delivered here
    app.conf.task_always_eager = False
    with contextlib.suppress(Exception):
        app.connection_for_write().default_channel.client.flushdb()

    print(f"creating {args.small:,} leases …", flush=True)
    world = World()
    world.grow(args.small)
    print(f"month-end over {args.small:,} leases …", flush=True)
    small = timed_run(date(2026, 5, 1), args.batch)
    print(json.dumps(small), flush=True)
    again = timed_run(date(2026, 5, 1), args.batch)
    print(
        f"re-run of the same period: {again['dues_created']} dues created in {again['seconds']} s", flush=True
    )

    print(f"growing to {args.large:,} leases …", flush=True)
    world.grow(args.large)
    print(f"month-end over {args.large:,} leases …", flush=True)
    large = timed_run(date(2026, 6, 1), args.batch)
    print(json.dumps(large), flush=True)

    print(f"naive per-lease loop over {args.naive:,} leases …", flush=True)
    naive = naive_run(date(2026, 7, 1), args.naive)
    print(json.dumps(naive), flush=True)

    growth = large["seconds"] / small["seconds"]
    size = large["leases"] / small["leases"]
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "small": small,
        "rerun_same_period": {"dues_created": again["dues_created"], "seconds": again["seconds"]},
        "large": large,
        "naive": naive,
        "growth": {
            "leases_ratio": round(size, 1),
            "seconds_ratio": round(growth, 2),
            "per_lease_ms_small": round(small["seconds"] * 1000 / small["leases"], 3),
            "per_lease_ms_large": round(large["seconds"] * 1000 / large["leases"], 3),
        },
        "ratio_vs_naive": round(large["leases_per_second"] / naive["leases_per_second"], 1),
        "peak_rss_mib": round(peak_rss_mib()),
    }
    out = ROOT / "var" / "bench-estate-month-end.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print("\n" + json.dumps(report, indent=2))
    print(
        f"\n{large['leases']:,} leases in {large['seconds']} s = {large['leases_per_second']:,} leases/s; "
        f"{small['leases']:,} in {small['seconds']} s; time ×{growth:.1f} for leases ×{size:.0f}; "
        f"×{report['ratio_vs_naive']} the naive loop ({naive['leases_per_second']} leases/s); "
        f"{large['queries_per_batch']} vs {small['queries_per_batch']} queries per batch; "
        f"peak RSS {report['peak_rss_mib']} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
