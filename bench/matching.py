"""Statement matching benchmark (issue 16): a 100,000-line statement against 100,000 open dues.

    .venv/bin/python bench/matching.py                      # 100,000 x 100,000, naive on 2,000 x 2,000
    .venv/bin/python bench/matching.py --lines 20000 --dues 20000 --naive 1000

The data is built in memory (no database: the engine, apps/estate/services/
statements_matching.py, is pure Python; the service feeds it two queries' worth of rows):
dues of leases with one to three open months (rent, or rent plus charges), each lease with
one or two tenants' phones; a statement whose lines are, in turn, a payment naming its due's
reference with the exact amount, a payment from a tenant's phone with the exact amount in
the date window, a part payment from a tenant's phone, a payment naming only its lease, a
payment from a phone a learned rule knows, and a stranger's transfer. What it measures, in
one process:

  engine     statements_matching.match_lines on --lines x --dues: index build + decisions;
             lines/s, and what it decided (auto, review, none)
  small      the engine on --naive x --naive (the same generator), and
  naive      statements_matching.match_naive (every line against every due, a nested loop
             with the same scores) on the same --naive x --naive;
             ratio = naive seconds / engine seconds on the same small data, and the naive
             loop's time extrapolated to the big size (n x m pairs) is printed as such
  agree      the engine and the naive loop decide the same outcome on the small data (the
             share of lines where they agree)
  db         (--db N) the whole import through the service on a throwaway database (its own
             PostgreSQL and Redis, or DATABASE_URL's server): N leases with three open months
             each, a MoMo CSV of N lines (three in four a tenant's exact rent, one in four a
             part payment); the dry run, then the import that applies the strong matches
             through estate's offline-payment path (one payment, receipt and ledger transfer
             each), then the same file again (nothing imported)
Results are printed and written to var/bench-matching.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hokwe.settings.test")


def build(n_lines: int, n_dues: int, seed: int = 16):
    """(lines, dues, rules) in memory, deterministic for a seed."""
    from apps.estate.services.statements_matching import DueRow, LineRow

    rng = random.Random(seed)
    dues: list[DueRow] = []
    leases: list[tuple[int, str, tuple[str, ...]]] = []
    lease_id = 0
    base = date(2026, 1, 5)
    while len(dues) < n_dues:
        lease_id += 1
        reference = f"BAIL-2026-{lease_id:06d}"
        phones = tuple(
            f"+22901{rng.randrange(40_000_000, 99_999_999):08d}" for _ in range(rng.choice((1, 1, 2)))
        )
        leases.append((lease_id, reference, phones))
        rent = rng.choice((25_000, 40_000, 50_000, 60_000, 75_000, 80_000, 100_000, 150_000))
        for month in range(rng.choice((1, 1, 2, 3))):
            if len(dues) >= n_dues:
                break
            due_date = (base.replace(month=1 + month)) if month < 12 else base
            dues.append(
                DueRow(
                    id=len(dues) + 1,
                    lease_id=lease_id,
                    reference=f"LOY-2026-{1 + month:02d}-{lease_id:06d}",
                    lease_reference=reference,
                    outstanding=rent,
                    due_date=due_date,
                    phones=phones,
                )
            )
    by_lease: dict[int, list[DueRow]] = {}
    for due in dues:
        by_lease.setdefault(due.lease_id, []).append(due)
    rules = []
    rule_phones = {}
    for lease_id_, _ref, _phones in rng.sample(leases, k=max(1, len(leases) // 20)):
        phone = f"+22901{rng.randrange(10_000_000, 39_999_999):08d}"  # a relative's phone
        rules.append((phone, lease_id_))
        rule_phones[lease_id_] = phone
    rule_leases = list(rule_phones)
    lines: list[LineRow] = []
    for key in range(n_lines):
        kind = key % 6
        due = dues[rng.randrange(len(dues))]
        when = due.due_date + timedelta(days=rng.randrange(-4, 5))
        phone_of = due.phones[0]
        if kind == 0:  # names its due, exact amount
            line = LineRow(key, due.outstanding, when, f"Loyer {due.reference}", "")
        elif kind == 1:  # a tenant's MoMo, exact amount, in the window
            line = LineRow(key, due.outstanding, when, "loyer", phone_of)
        elif kind == 2:  # a part payment from a tenant's phone
            line = LineRow(key, due.outstanding // 2, when, "acompte", phone_of)
        elif kind == 3:  # names the lease only, with a typo'd format
            line = LineRow(key, due.outstanding, when, f"VIR {due.lease_reference.replace('-', ' ')}", "")
        elif kind == 4:  # a relative's phone a rule knows
            lease_id_ = rule_leases[rng.randrange(len(rule_leases))]
            first = by_lease[lease_id_][0]
            line = LineRow(key, first.outstanding, first.due_date, "", rule_phones[lease_id_])
        else:  # a stranger
            line = LineRow(key, rng.randrange(1_000, 500_000), when, "transfert", "+2290155555555")
        lines.append(line)
    return lines, dues, rules


def outcomes(decisions) -> dict:
    found = {"auto": 0, "review": 0, "none": 0}
    for d in decisions:
        found[d.outcome] += 1
    return found


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=100_000, help="statement lines in the main run")
    parser.add_argument("--dues", type=int, default=100_000, help="open dues in the main run")
    parser.add_argument("--naive", type=int, default=2_000, help="lines and dues of the naive comparison")
    parser.add_argument("--window", type=int, default=10, help="date window in days")
    parser.add_argument(
        "--db", type=int, default=0, help="also import N lines against N leases in a database"
    )
    args = parser.parse_args()

    servers = None
    if args.db:
        sys.path.insert(0, str(ROOT / "bench"))
        from _services import Servers, prepare_database

        servers = Servers(prefix="hokwe-bench-matching-")
        server_url = os.environ.get("DATABASE_URL") or servers.start_postgres()
        os.environ["REDIS_URL"] = servers.start_redis()  # its own: the events' tasks are queued there
        os.environ["DATABASE_URL"] = prepare_database(server_url, BENCH_DB)
        os.environ.setdefault("LOG_LEVEL", "ERROR")
    try:
        return run(args)
    finally:
        if servers is not None:
            from _services import drop_database

            drop_database(server_url, BENCH_DB)
            servers.stop()


BENCH_DB = "hokwe_bench_matching"


def db_run(n: int) -> dict:
    """N leases (three open months each) and a MoMo statement of N lines, through the service."""
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from apps.estate import domain, services
    from apps.estate.models import RentPayment, StatementLine
    from apps.estate.services import statements
    from apps.identity.models import Membership, Organization, User
    from hokwe.celery import app

    call_command("migrate", verbosity=0)
    settings.CELERY_TASK_ALWAYS_EAGER = False  # receipts' notifications are queued, not sent here
    app.conf.task_always_eager = False
    agency = Organization.objects.create(
        name="Agence Bench Relevés", kind="agency", city="Cotonou", currencies=["XOF"]
    )
    manager = User.objects.create_user(phone="+2290160000001", password="bench-pass-123", full_name="Bench")
    Membership.objects.create(organization=agency, user=manager, role="owner")
    prop = services.property_create(
        actor=manager, organization_id=agency.pk, name="Résidence Bench", city="Cotonou"
    )
    this_month = domain.month_start(timezone.localdate())
    started = time.perf_counter()
    rows = []
    today = timezone.localdate()
    for i in range(n):
        unit = services.unit_create(
            actor=manager, property=prop, label=f"U{i}", kind="studio", market_rent=50_000
        )
        phone = f"+22901{61_000_000 + i:08d}"
        lease = services.lease_create(
            actor=manager,
            unit=unit,
            tenants=[services.TenantInput(phone=phone, full_name=f"Locataire {i}")],
            start_date=domain.add_months(this_month, -2),
            rent=50_000 + (i % 7) * 5_000,
            charges=0,
            deposit_months=0,
        )
        amount = lease.rent if i % 4 else lease.rent // 2
        rows.append(
            f"{today:%d/%m/%Y};BENCH-{i};Transfert reçu;Réussi;{phone};Locataire {i};{amount};XOF;loyer"
        )
    setup = time.perf_counter() - started
    content = (
        "Date;ID de transaction;Type;Statut;De;Nom de l'expéditeur;Montant;Devise;Message\n"
        + "\n".join(rows)
        + "\n"
    ).encode()
    arguments = dict(
        actor=manager, organization_id=agency.pk, fmt="mtn_momo", filename="bench.csv", content=content
    )
    started = time.perf_counter()
    dry = statements.statement_import(dry_run=True, **arguments)
    dry_seconds = time.perf_counter() - started
    started = time.perf_counter()
    done = statements.statement_import(**arguments)
    import_seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = statements.statement_import(**arguments)
    again_seconds = time.perf_counter() - started
    return {
        "leases": n,
        "open_dues": 3 * n,
        "lines": n,
        "setup_seconds": round(setup, 1),
        "dry_run_seconds": round(dry_seconds, 2),
        "import_seconds": round(import_seconds, 2),
        "applied": done.counts["auto"],
        "to_review": done.counts["review"] + done.counts["unmatched"],
        "payments": RentPayment.objects.filter(organization=agency).count(),
        "lines_stored": StatementLine.objects.filter(organization=agency).count(),
        "applied_per_second": round(done.counts["auto"] / import_seconds, 1),
        "same_file_again": {"already_imported": again.already_imported, "seconds": round(again_seconds, 2)},
        "dry_run_auto": dry.counts["auto"],
    }


def run(args) -> int:
    import django

    django.setup()
    from apps.estate.services.statements_matching import match_lines, match_naive

    report = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    print(f"building {args.lines:,} lines x {args.dues:,} dues in memory …", flush=True)
    started = time.perf_counter()
    lines, dues, rules = build(args.lines, args.dues)
    report["build_seconds"] = round(time.perf_counter() - started, 2)

    started = time.perf_counter()
    decisions = match_lines(lines, dues, rules, window_days=args.window)
    seconds = time.perf_counter() - started
    report["engine"] = {
        "lines": len(lines),
        "dues": len(dues),
        "rules": len(rules),
        "seconds": round(seconds, 3),
        "lines_per_second": round(len(lines) / seconds),
        **outcomes(decisions),
    }
    print(json.dumps({"engine": report["engine"]}), flush=True)

    n = args.naive
    small_lines, small_dues, small_rules = build(n, n, seed=17)
    started = time.perf_counter()
    small = match_lines(small_lines, small_dues, small_rules, window_days=args.window)
    engine_small = time.perf_counter() - started
    print(f"naive nested loop over {n:,} x {n:,} …", flush=True)
    started = time.perf_counter()
    naive = match_naive(small_lines, small_dues, small_rules, window_days=args.window)
    naive_small = time.perf_counter() - started
    agree = sum(a.outcome == b.outcome for a, b in zip(small, naive, strict=True)) / max(len(small), 1)
    per_pair = naive_small / (n * n)
    report["small"] = {
        "lines": n,
        "dues": n,
        "engine_seconds": round(engine_small, 4),
        "naive_seconds": round(naive_small, 3),
        "ratio_naive_over_engine": round(naive_small / engine_small, 1),
        "engine": outcomes(small),
        "naive": outcomes(naive),
        "same_outcome_share": round(agree, 4),
    }
    report["naive_extrapolated_to_main_seconds"] = round(per_pair * len(lines) * len(dues))
    report["ratio_extrapolated"] = round(report["naive_extrapolated_to_main_seconds"] / seconds)
    report["target_seconds"] = 30
    report["under_target"] = seconds < 30
    print(json.dumps({"small": report["small"]}), flush=True)
    print(
        f"engine {len(lines):,} x {len(dues):,}: {seconds:.2f} s ({report['engine']['lines_per_second']:,} lines/s); "
        f"on {n:,} x {n:,}: engine {engine_small:.3f} s, naive {naive_small:.2f} s, "
        f"ratio {report['small']['ratio_naive_over_engine']:,}x; naive extrapolated to the main size "
        f"≈ {report['naive_extrapolated_to_main_seconds']:,} s (ratio ≈ {report['ratio_extrapolated']:,}x)",
        flush=True,
    )
    if args.db:
        print(f"database run: {args.db:,} leases, a statement of {args.db:,} lines …", flush=True)
        report["db"] = db_run(args.db)
        print(json.dumps({"db": report["db"]}), flush=True)
    out = ROOT / "var" / "bench-matching.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    return 0 if report["under_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
