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
    args = parser.parse_args()

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
    out = ROOT / "var" / "bench-matching.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    return 0 if report["under_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
