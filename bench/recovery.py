"""Recovery benchmark (issue 8): the daily dunning run over 100,000 overdue dues in 20,000 cases.

    .venv/bin/python bench/recovery.py                          # starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x REDIS_URL=redis://h:p/0 .venv/bin/python bench/recovery.py
    .venv/bin/python bench/recovery.py --cases 2000 --naive 200  # a quicker run
    .venv/bin/python bench/recovery.py --scale                  # also 10,000 dues: the growth
    BENCH_PROFILE=1 .venv/bin/python bench/recovery.py --cases 5000 --naive 100  # cProfile of the
    daily run (BENCH_PROFILE_SORT=tottime: sorted by own time instead of cumulative)

With DATABASE_URL it creates (and drops) its own database `hokwe_bench_recovery` on that
server. The data is built set-based (bulk inserts): an agency, its leases, each with
--dues-per-case overdue dues (nothing paid, the oldest five months back), so every lease
becomes a case. One organization per run, so the runs do not see each other's cases.
What it measures, in one process:

  sync      services.cases_sync: estate's arrears (aggregated in SQL) into cases, bulk
  ladder    services.ladder_run with the default ladder: every case is on its first day in
            recovery, so every case takes a step (the J+3 SMS): the most messages a run can
            send for this portfolio; cases/s, SMS enqueued (notifications' Message rows)
  rerun     the same run again the same day: nothing is sent twice (0 steps, 0 messages)
  scale     (--scale) the same over 10,000 dues first: seconds per case at both sizes
  naive     --naive cases of another organization through a per-case loop (its dues, its
            step runs, decide, save, notifications.api.send one by one), same run; the
            baseline, extrapolated to --cases and stated as such; ratio = ladder_run's
            cases/s / naive cases/s (the naive loop opens no case; the daily ratio, sync
            included, is printed too)
  notifications  the time inside notifications.api.send_many (rendering, checking and
            writing the messages), measured apart: the rest is recovery's own work
  memory    peak RSS of the process (ru_maxrss), and how much it grew during the runs
Results are printed and written to var/bench-recovery.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from _services import (  # noqa: E402
    Servers,
    drop_database,
    peak_rss_mib,
    prepare_database,
)

BENCH_DB = "hokwe_bench_recovery"
TODAY = date(2026, 6, 10)  # a Wednesday, no public holiday in Benin
NOW_UTC = (10 - 1, 0)  # 10:00 in Cotonou (UTC+1): outside the quiet hours


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=20_000, help="leases in arrears (cases) in the main run")
    parser.add_argument("--dues-per-case", type=int, default=5, help="overdue dues per lease")
    parser.add_argument("--naive", type=int, default=1_000, help="cases through the per-case loop")
    parser.add_argument(
        "--scale", action="store_true", help="first run over a tenth of the dues (10,000 by default)"
    )
    args = parser.parse_args()

    servers = Servers(prefix="hokwe-bench-recovery-")
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


class Portfolio:
    """One agency, its owner, `cases` leases (100 units per property), each with `dues`
    overdue and unpaid monthly dues: the oldest five months before TODAY."""

    serial = 0

    def __init__(self, name: str):
        from apps.estate.models import Mandate
        from apps.identity.models import Organization

        Portfolio.serial += 1
        self.tag = Portfolio.serial
        self.agency = Organization.objects.create(name=name, kind="agency", city="Cotonou", country="BJ")
        owner = Organization.objects.create(name=f"Propriétaire {name}", kind="owner")
        self.mandate = Mandate.objects.create(
            agency=self.agency, owner=owner, commission_bps=1000, start_date=date(2025, 1, 1)
        )

    def build(self, cases: int, dues: int, chunk: int = 5_000) -> int:
        from apps.estate.models import Lease, LeaseTenant, Property, RentDue, Unit
        from apps.identity.models import User

        periods: list[date] = []
        y, m = TODAY.year, TODAY.month
        for _ in range(dues):  # the months before TODAY's, oldest first
            y, m = (y - 1, 12) if m == 1 else (y, m - 1)
            periods.insert(0, date(y, m, 1))
        created = 0
        for n0 in range(0, cases, chunk):
            n1 = min(cases, n0 + chunk)
            props = Property.objects.bulk_create(
                [
                    Property(
                        organization=self.agency,
                        owner=self.mandate.owner,
                        mandate=self.mandate,
                        name=f"Résidence {self.tag}-{p}",
                        city="Cotonou",
                        neighbourhood=("Fidjrossè", "Akpakpa", "Cadjèhoun", "Godomey")[p % 4],
                    )
                    for p in range(n0 // 100, (n1 + 99) // 100)
                ]
            )
            base = n0 // 100
            units = Unit.objects.bulk_create(
                [
                    Unit(
                        property=props[n // 100 - base],
                        organization=self.agency,
                        label=f"U{n}",
                        kind="apartment",
                        market_rent=50_000,
                        status="occupied",
                    )
                    for n in range(n0, n1)
                ],
                batch_size=chunk,
            )
            users = User.objects.bulk_create(
                [
                    User(
                        phone=f"+22901{self.tag * 10_000_000 + n:08d}",
                        full_name=f"Locataire {n}",
                        password="!",
                    )
                    for n in range(n0, n1)
                ],
                batch_size=chunk,
            )
            leases = Lease.objects.bulk_create(
                [
                    Lease(
                        organization=self.agency,
                        unit=u,
                        reference=f"REC{self.tag}-{n}",
                        start_date=periods[0],
                        rent=40_000 + (n % 9) * 5_000,
                        due_day=5,
                        grace_days=5,
                    )
                    for n, u in zip(range(n0, n1), units, strict=True)
                ],
                batch_size=chunk,
            )
            LeaseTenant.objects.bulk_create(
                [
                    LeaseTenant(lease=lease, user=user, is_primary=True)
                    for lease, user in zip(leases, users, strict=True)
                ],
                batch_size=chunk,
            )
            rows = [
                RentDue(
                    organization=self.agency,
                    lease=lease,
                    period=period,
                    due_date=period.replace(day=5),
                    grace_until=period.replace(day=10),
                    rent=lease.rent,
                    total=lease.rent,
                    status="overdue",
                    reference=f"LOY-{period:%Y-%m}-{lease.pk:07d}",
                    pay_token=f"b{self.tag}p{period:%y%m}l{lease.pk}",
                )
                for lease in leases
                for period in periods
            ]
            RentDue.objects.bulk_create(rows, batch_size=chunk)
            created += len(rows)
        return created


# --- the runs -----------------------------------------------------------------------------


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def messages() -> int:
    from apps.notifications.models import Message

    return Message.objects.count()


class SendTimer:
    """Time spent inside notifications' `send_many` (rendering, checking and writing the
    messages: notifications' share of the run), the rest being recovery's own work. The
    ladder calls it through the `notifications.api` module, looked up at each call."""

    def __init__(self):
        from apps.notifications import api

        self.api, self.inner, self.seconds, self.calls = api, api.send_many, 0.0, 0

    def __call__(self, requests, *args, **kwargs):
        started = time.perf_counter()
        try:
            return self.inner(requests, *args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started
            self.calls += 1

    def __enter__(self):
        self.api.send_many = self
        return self

    def __exit__(self, *exc):
        self.api.send_many = self.inner


def daily_run(portfolio: Portfolio, label: str, dues: int) -> dict:
    """cases_sync then ladder_run for one organization, timed apart; the time inside
    notifications' send_many measured apart too."""
    from datetime import UTC

    from django.db import connection

    from apps.recovery import services

    services.ladder_default(organization_id=portfolio.agency.pk)
    now = datetime(TODAY.year, TODAY.month, TODAY.day, *NOW_UTC, tzinfo=UTC)
    rss_before = peak_rss_mib()
    counter = QueryCounter()
    before = messages()
    profiler = None
    if os.environ.get("BENCH_PROFILE") and label != "small":
        import cProfile

        profiler = cProfile.Profile()
    with connection.execute_wrapper(counter), SendTimer() as sending:
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        sync = services.cases_sync(today=TODAY, organizations=[portfolio.agency.public_id])
        synced = time.perf_counter()
        sync_queries = counter.count
        run = services.ladder_run(today=TODAY, now=now, organizations=[portfolio.agency.pk])
        ended = time.perf_counter()
        if profiler:
            profiler.disable()
    if profiler:
        import pstats

        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative")).print_stats(45)
    sent = messages() - before
    seconds = ended - started
    return {
        "label": label,
        "dues": dues,
        "cases_opened": sync.opened,
        "sync_seconds": round(synced - started, 2),
        "sync_queries": sync_queries,
        "ladder_seconds": round(ended - synced, 2),
        "ladder_queries": counter.count - sync_queries,
        "seconds": round(seconds, 2),
        "notifications_send_many_seconds": round(sending.seconds, 2),
        "notifications_send_many_calls": sending.calls,
        "recovery_own_seconds": round(seconds - sending.seconds, 2),
        "ladder_own_seconds": round(ended - synced - sending.seconds, 2),
        "cases_seen": run.cases_seen,
        "steps": run.steps,
        "by_action": {str(k): v for k, v in run.by_action.items()},
        "messages_enqueued": sent,
        "cases_per_second": round(run.cases_seen / seconds) if seconds else 0,
        "ladder_cases_per_second": round(run.cases_seen / (ended - synced)) if ended > synced else 0,
        "ms_per_case": round(seconds * 1000 / max(1, run.cases_seen), 3),
        "peak_rss_mib": round(peak_rss_mib()),
        "rss_growth_mib": round(peak_rss_mib() - rss_before),
    }


def rerun(portfolio: Portfolio) -> dict:
    from datetime import UTC

    from apps.recovery import services

    now = datetime(TODAY.year, TODAY.month, TODAY.day, *NOW_UTC, tzinfo=UTC) + timedelta(hours=4)
    before = messages()
    started = time.perf_counter()
    services.cases_sync(today=TODAY, organizations=[portfolio.agency.public_id])
    run = services.ladder_run(today=TODAY, now=now, organizations=[portfolio.agency.pk])
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "steps": run.steps,
        "messages_enqueued": messages() - before,
    }


def naive_run(portfolio: Portfolio, limit: int) -> dict:
    """The obvious loop: per case, read its dues, its step runs, decide the step, write the
    step run, the timeline event and the case, and send the SMS with notifications.api.send."""
    from django.db import transaction
    from django.db.models import Min
    from django.utils import timezone

    from apps.estate.models import RentDue
    from apps.notifications import api as notifications
    from apps.recovery import services
    from apps.recovery.models import Case, CaseEvent, StepRun

    ladder = services.ladder_default(organization_id=portfolio.agency.pk)
    steps = list(ladder.steps.filter(is_active=True, day_offset__gt=0).order_by("day_offset", "id"))
    services.cases_sync(today=TODAY, organizations=[portfolio.agency.public_id])  # not timed
    ids = list(
        Case.objects.filter(organization=portfolio.agency).order_by("id").values_list("id", flat=True)[:limit]
    )
    before = messages()
    started = time.perf_counter()
    for case_id in ids:
        with transaction.atomic():
            case = Case.objects.select_for_update(of=("self",)).select_related("tenant").get(pk=case_id)
            lease_dues = RentDue.objects.filter(
                lease__public_id=case.lease, status="overdue", due_date__lt=TODAY
            ).aggregate(oldest=Min("due_date"))
            if lease_dues["oldest"] is None:
                continue
            days = (TODAY - lease_dues["oldest"]).days
            done = set(StepRun.objects.filter(case=case).values_list("step_id", flat=True))
            step = next((s for s in steps if s.pk not in done and s.day_offset <= days), None)
            if step is None:
                continue
            StepRun.objects.create(step=step, case=case, subject=f"case:{case.pk}", run_on=TODAY)
            CaseEvent.objects.create(
                case=case, kind="reminder", step=step, amount=case.amount_owed, happened_at=timezone.now()
            )
            case.last_step = step
            case.save(update_fields=["last_step", "updated_at"])
            notifications.send(
                str(case.tenant.public_id),
                "recovery.reminder",
                {
                    "tenant_name": case.tenant_name,
                    "amount": {"amount": case.amount_owed, "currency": case.currency},
                    "oldest_due_date": lease_dues["oldest"].isoformat(),
                    "days_late": days,
                    "property_name": case.property_name,
                    "pay_url": services.portal_url(case),
                },
                channels=[step.action],
                idempotency_key=f"naive:{case.public_id}:{step.public_id}",
            )
    seconds = time.perf_counter() - started
    return {
        "cases": len(ids),
        "seconds": round(seconds, 2),
        "cases_per_second": round(len(ids) / seconds) if seconds else 0,
        "messages_enqueued": messages() - before,
    }


def run(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from hokwe.celery import app

    call_command("migrate", verbosity=0)
    settings.CELERY_TASK_ALWAYS_EAGER = False  # deliveries are queued on Redis, not sent here
    app.conf.task_always_eager = False
    with contextlib.suppress(Exception):
        app.connection_for_write().default_channel.client.flushdb()

    report: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "today": TODAY.isoformat(),
    }
    if args.scale:
        small_cases = max(1, args.cases // 10)
        print(f"building {small_cases:,} cases × {args.dues_per_case} dues …", flush=True)
        small_world = Portfolio("Agence Bench Petite")
        dues = small_world.build(small_cases, args.dues_per_case)
        print(f"daily run over {dues:,} overdue dues …", flush=True)
        report["small"] = daily_run(small_world, "small", dues)
        print(json.dumps(report["small"]), flush=True)

    print(f"building {args.cases:,} cases × {args.dues_per_case} dues …", flush=True)
    world = Portfolio("Agence Bench")
    dues = world.build(args.cases, args.dues_per_case)
    print(f"daily run over {dues:,} overdue dues …", flush=True)
    main_run = daily_run(world, "main", dues)
    report["main"] = main_run
    print(json.dumps(main_run), flush=True)
    report["rerun_same_day"] = rerun(world)
    print(f"re-run the same day: {json.dumps(report['rerun_same_day'])}", flush=True)
    if report["rerun_same_day"]["messages_enqueued"]:
        print(
            "WARNING: the second run of the day sent messages (one step per case per day expected)",
            flush=True,
        )

    print(f"naive per-case loop over {args.naive:,} cases …", flush=True)
    naive_world = Portfolio("Agence Bench Naïve")
    naive_world.build(args.naive, args.dues_per_case)
    naive = naive_run(naive_world, args.naive)
    naive["extrapolated_seconds_for_main"] = round(main_run["cases_seen"] / naive["cases_per_second"], 1)
    report["naive"] = naive
    print(json.dumps(naive), flush=True)
    # the naive loop only decides and sends (its cases were opened untimed): compare it with
    # ladder_run alone; the whole daily run (sync + ladder) is given too
    report["ratio_vs_naive"] = round(main_run["ladder_cases_per_second"] / naive["cases_per_second"], 1)
    report["ratio_daily_vs_naive"] = round(main_run["cases_per_second"] / naive["cases_per_second"], 1)
    if args.scale:
        small = report["small"]
        report["growth"] = {
            "dues_ratio": round(main_run["dues"] / small["dues"], 1),
            "seconds_ratio": round(main_run["seconds"] / small["seconds"], 2),
            "sync_seconds_ratio": round(main_run["sync_seconds"] / small["sync_seconds"], 2),
            "ladder_seconds_ratio": round(main_run["ladder_seconds"] / small["ladder_seconds"], 2),
            "ms_per_case_small": small["ms_per_case"],
            "ms_per_case_main": main_run["ms_per_case"],
        }
    report["peak_rss_mib"] = round(peak_rss_mib())
    out = ROOT / "var" / "bench-recovery.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print("\n" + json.dumps(report, indent=2))
    line = (
        f"\n{main_run['dues']:,} overdue dues in {main_run['cases_seen']:,} cases: sync {main_run['sync_seconds']} s "
        f"+ ladder {main_run['ladder_seconds']} s = {main_run['seconds']} s "
        f"(of which notifications.send_many {main_run['notifications_send_many_seconds']} s, "
        f"recovery's own {main_run['recovery_own_seconds']} s), "
        f"{main_run['cases_per_second']:,} cases/s, {main_run['messages_enqueued']:,} messages enqueued; "
        f"re-run the same day: {report['rerun_same_day']['messages_enqueued']} messages; "
        f"ladder ×{report['ratio_vs_naive']} the naive loop ({naive['cases_per_second']} cases/s over {naive['cases']:,} "
        f"cases, {naive['extrapolated_seconds_for_main']} s extrapolated to {main_run['cases_seen']:,}); "
        f"peak RSS {report['peak_rss_mib']} MiB"
    )
    if args.scale:
        g = report["growth"]
        line += f"; time ×{g['seconds_ratio']} for dues ×{g['dues_ratio']:.0f}"
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
