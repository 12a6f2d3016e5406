"""Scoring benchmark (issue 20): the nightly rescore, the incremental rescore and a valuation.

    .venv/bin/python bench/scoring.py                          # starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x REDIS_URL=redis://h:p/0 .venv/bin/python bench/scoring.py
    .venv/bin/python bench/scoring.py --scale 5000 --naive 200   # a quicker run

With DATABASE_URL it creates (and drops) its own database `hokwe_bench_scoring` on that server.
The data is built set-based (bulk inserts): one agency, --scale tenants, each with one lease and
--months monthly rent dues before TODAY, paid by a behaviour drawn per tenant (on time, a few
days to two months late, in part, or not at all). A scorecard is trained on the simulated
population (services/simulate.py) and activated first. What it measures, in one process:

  features   features_for_all(TODAY, chunk): every tenant's features, set-based (a fixed number
             of queries per chunk), alone: tenants/s
  scoring    score_many over those features, alone (vectorised, numpy): tenants/s
  nightly    rescore_all(TODAY, chunk): features + scoring + storing (Score rows, history, the
             Redis cache) — the first run (every row created) and the second (steady state)
  score_1m   score_many over 1,000,000 simulated tenants in chunks of --chunk (no database):
             the vectorised part measured at full size, not extrapolated
  naive      --naive tenants through a per-user ORM loop (the tenant's leases, their dues read
             and coded in Python, the other sources per user, scored alone, saved one by one),
             same run: the baseline; ratio = nightly tenants/s / naive tenants/s
  1,000,000  the nightly extrapolated linearly from --scale (per-tenant time x 1,000,000; stated
             as an extrapolation), and the naive loop the same way
  incremental  rescore(user, reason) for --samples random tenants: p50 / p99 ms
  valuation  services.valuation.estimate(unit) (HokweValuation) for --samples units: p50 / p99 ms
Results are printed and written to var/bench-scoring.json.
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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from _services import Servers, drop_database, peak_rss_mib, prepare_database  # noqa: E402

BENCH_DB = "hokwe_bench_scoring"
TODAY = date(2026, 6, 10)
MILLION = 1_000_000


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=20_000, help="tenants in the database")
    parser.add_argument("--months", type=int, default=14, help="monthly rent dues per tenant")
    parser.add_argument("--naive", type=int, default=300, help="tenants through the per-user ORM loop")
    parser.add_argument("--samples", type=int, default=200, help="incremental rescores and valuations timed")
    parser.add_argument("--chunk", type=int, default=5_000, help="tenants per nightly chunk")
    parser.add_argument(
        "--train", type=int, default=50_000, help="simulated tenants to train the scorecard on"
    )
    parser.add_argument("--skip-1m", action="store_true", help="do not score 1,000,000 simulated tenants")
    args = parser.parse_args()

    servers = Servers(prefix="hokwe-bench-scoring-")
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


def build_world(tenants: int, months: int, chunk: int = 5_000) -> dict:
    """One agency, `tenants` units and leases, each with `months` rent dues before TODAY."""
    from apps.estate.models import Lease, LeaseTenant, Mandate, Property, RentDue, Unit
    from apps.identity.models import Organization, User

    rng = random.Random(20)
    agency = Organization.objects.create(
        name="Agence Bench Score", kind="agency", city="Cotonou", country="BJ"
    )
    owner = Organization.objects.create(name="Propriétaire Bench Score", kind="owner")
    mandate = Mandate.objects.create(
        agency=agency, owner=owner, commission_bps=1000, start_date=date(2024, 1, 1)
    )
    periods: list[date] = []
    y, m = TODAY.year, TODAY.month
    for _ in range(months):
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
        periods.insert(0, date(y, m, 1))
    dues = 0
    behaviours = ("steady", "steady", "steady", "steady", "stretched", "stretched", "volatile", "distressed")
    for n0 in range(0, tenants, chunk):
        n1 = min(tenants, n0 + chunk)
        props = Property.objects.bulk_create(
            [
                Property(
                    organization=agency,
                    owner=owner,
                    mandate=mandate,
                    name=f"Résidence S{p}",
                    city=("Cotonou", "Porto-Novo", "Abomey-Calavi")[p % 3],
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
                    organization=agency,
                    label=f"S{n}",
                    kind=("apartment", "chambre_salon", "villa", "entrer_coucher")[n % 4],
                    market_rent=40_000 + (n % 9) * 5_000,
                    status="occupied",
                )
                for n in range(n0, n1)
            ],
            batch_size=chunk,
        )
        users = User.objects.bulk_create(
            [
                User(phone=f"+22901{70_000_000 + n:08d}", full_name=f"Locataire {n}", password="!")
                for n in range(n0, n1)
            ],
            batch_size=chunk,
        )
        starts = [periods[rng.randrange(0, max(1, months - 3))] for _ in range(n0, n1)]
        leases = Lease.objects.bulk_create(
            [
                Lease(
                    organization=agency,
                    unit=u,
                    reference=f"SCO-{n}",
                    start_date=start,
                    rent=40_000 + (n % 9) * 5_000,
                    due_day=5,
                    grace_days=5,
                )
                for n, u, start in zip(range(n0, n1), units, starts, strict=True)
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
        rows = []
        for lease, start in zip(leases, starts, strict=True):
            kind = rng.choice(behaviours)
            p_late, p_partial, p_unpaid = {
                "steady": (0.05, 0.01, 0.0),
                "stretched": (0.3, 0.05, 0.02),
                "volatile": (0.35, 0.1, 0.08),
                "distressed": (0.3, 0.15, 0.3),
            }[kind]
            for period in periods:
                if period < start:
                    continue
                due_date = period.replace(day=5)
                u = rng.random()
                paid, status, paid_at = lease.rent, "paid", None
                if u < p_unpaid:
                    paid, status = 0, "overdue"
                elif u < p_unpaid + p_partial:
                    paid, status = lease.rent // 2, "partially_paid"
                elif u < p_unpaid + p_partial + p_late:
                    paid_at = due_date + timedelta(days=rng.randint(8, 70))
                else:
                    paid_at = due_date + timedelta(days=rng.randint(0, 5))
                if paid_at is not None and paid_at >= TODAY:
                    paid_at = TODAY - timedelta(days=1)
                rows.append(
                    RentDue(
                        organization=agency,
                        lease=lease,
                        period=period,
                        due_date=due_date,
                        grace_until=period.replace(day=10),
                        rent=lease.rent,
                        total=lease.rent,
                        paid=paid,
                        status=status,
                        paid_at=None
                        if paid_at is None
                        else datetime.combine(paid_at, datetime.min.time(), UTC),
                        reference=f"LOY-{period:%Y-%m}-{lease.pk:07d}",
                        pay_token=f"s{period:%y%m}l{lease.pk}",
                    )
                )
        RentDue.objects.bulk_create(rows, batch_size=chunk)
        dues += len(rows)
    return {"tenants": tenants, "dues": dues, "agency": agency}


# --- the runs -----------------------------------------------------------------------------


def _pcts(samples_ms: list[float]) -> dict:
    import numpy as np

    arr = np.asarray(samples_ms)
    return {
        "samples": len(arr),
        "p50_ms": round(float(np.percentile(arr, 50)), 2),
        "p99_ms": round(float(np.percentile(arr, 99)), 2),
        "max_ms": round(float(arr.max()), 2),
    }


def train_model(rows: int) -> dict:
    from apps.scoring.services import model as scorecard
    from apps.scoring.services import simulate, training

    started = time.perf_counter()
    population = simulate.simulate(rows, seed=20)
    result = training.train(population.X, population.y, seed=20, source="bench")
    scorecard.save_model(
        result.spec, version="bench-1", trained_on="bench", metrics=result.metrics, make_active=True
    )
    held = result.metrics["held_out"]
    return {
        "rows": rows,
        "seconds": round(time.perf_counter() - started, 1),
        "auc": held["auc"],
        "ks": held["ks"],
        "gini": held["gini"],
    }


def features_and_scoring(chunk: int) -> tuple[dict, list]:
    from apps.scoring.services import model as scorecard
    from apps.scoring.services.features import features_for_all

    started = time.perf_counter()
    chunks = [list(by_user.values()) for by_user in features_for_all(TODAY, chunk)]
    features_seconds = time.perf_counter() - started
    n = sum(len(c) for c in chunks)
    model = scorecard.active_model()
    started = time.perf_counter()
    results = [r for c in chunks for r in scorecard.score_many(c, model=model)]
    scoring_seconds = time.perf_counter() - started
    scored = [r.score for r in results if r.score is not None]
    return {
        "tenants": n,
        "features_seconds": round(features_seconds, 2),
        "features_per_second": round(n / features_seconds),
        "scoring_seconds": round(scoring_seconds, 3),
        "scoring_per_second": round(n / scoring_seconds),
        "thin_files": len(results) - len(scored),
        "score_mean": round(sum(scored) / max(len(scored), 1), 1),
    }, [f for c in chunks for f in c]


def nightly(chunk: int) -> dict:
    from apps.scoring.services import scores

    started = time.perf_counter()
    totals = scores.rescore_all(TODAY, chunk=chunk)
    seconds = time.perf_counter() - started
    return {**totals, "seconds": round(seconds, 2), "per_second": round(totals["users"] / seconds)}


def score_one_million(chunk: int) -> dict:
    from apps.scoring.services import model as scorecard
    from apps.scoring.services import simulate

    model = scorecard.active_model()
    population = simulate.simulate(MILLION, seed=21)
    build = score = 0.0
    for start in range(0, MILLION, chunk):
        part = simulate.Population(
            population.X[start : start + chunk], population.y[start : start + chunk], population.kind
        )
        t0 = time.perf_counter()
        features = part.features()
        t1 = time.perf_counter()
        scorecard.score_many(features, model=model)
        t2 = time.perf_counter()
        build += t1 - t0
        score += t2 - t1
    return {
        "tenants": MILLION,
        "chunk": chunk,
        "score_many_seconds": round(score, 1),
        "features_objects_seconds": round(build, 1),
        "per_second": round(MILLION / score),
    }


def naive_features(user):
    """Per-user ORM: the user's dues read and coded in Python; the other sources per user."""
    from apps.estate.models import RentDue
    from apps.kyc import api as kyc
    from apps.recovery import api as recovery
    from apps.scoring.contracts import ScoreFeatures
    from apps.wallet import api as wallet

    since = date(TODAY.year - 1, TODAY.month, 1)
    on_time = late = partial = unpaid = days_sum = max_days = 0
    months = set()
    first = None
    for due in RentDue.objects.filter(
        lease__lease_tenants__user=user, kind="rent", due_date__lte=TODAY
    ).order_by("due_date"):
        if due.status != "paid" and due.grace_until >= TODAY:
            continue
        months.add(due.period)
        first = first or due.lease.start_date
        days = (
            max(((due.paid_at.date() if due.paid_at else due.due_date) - due.due_date).days, 0)
            if due.status == "paid"
            else max((TODAY - due.due_date).days, 0)
        )
        if due.period < since:
            continue
        max_days = max(max_days, days)
        if due.status == "paid":
            if (due.paid_at.date() if due.paid_at else due.due_date) <= due.grace_until:
                on_time += 1
            else:
                late += 1
                days_sum += days
        elif due.paid:
            partial += 1
        else:
            unpaid += 1
    cases = recovery.tenant_recovery([user.public_id]).get(user.public_id)
    regularity = wallet.wallet_regularity([user.public_id], today=TODAY).get(user.public_id)
    tier = kyc.tiers_of([user.public_id]).get(user.public_id, 0)
    return ScoreFeatures(
        months_observed=len(months),
        on_time_12=on_time,
        late_12=late,
        partial_12=partial,
        unpaid_12=unpaid,
        avg_days_late_12=round(days_sum / late, 1) if late else 0.0,
        max_days_late_12=max_days,
        tenure_months=((TODAY - first).days // 30) if first else 0,
        recovery_opened=cases.opened if cases else 0,
        recovery_paid=cases.paid if cases else 0,
        recovery_written_off=cases.written_off if cases else 0,
        promises_kept=cases.promises_kept if cases else 0,
        promises_broken=cases.promises_broken if cases else 0,
        tontine_on_time=regularity.tontine_on_time if regularity else 0,
        tontine_late=regularity.tontine_late if regularity else 0,
        tontine_defaults=regularity.tontine_defaults if regularity else 0,
        split_streak_max=regularity.split_streak_max if regularity else 0,
        wallet_active_months_6=regularity.active_months_6 if regularity else 0,
        kyc_tier=int(tier or 0),
    )


def naive_run(limit: int) -> dict:
    import dataclasses

    from django.utils import timezone

    from apps.identity.models import User
    from apps.scoring.models import Score
    from apps.scoring.services import model as scorecard

    users = list(User.objects.filter(phone__startswith="+2290170").order_by("?")[:limit])
    started = time.perf_counter()
    for user in users:
        features = naive_features(user)
        score, band, reasons = scorecard.score_many([features])[0]
        Score.objects.update_or_create(
            user=user,
            defaults={
                "score": score,
                "band": str(band),
                "reasons": [dataclasses.asdict(r) for r in reasons],
                "features": dataclasses.asdict(features),
                "model_version": scorecard.active_model().version,
                "computed_at": timezone.now(),
            },
        )
    seconds = time.perf_counter() - started
    return {"tenants": len(users), "seconds": round(seconds, 2), "per_second": round(len(users) / seconds, 1)}


def incremental(samples: int) -> dict:
    from apps.identity.models import User
    from apps.scoring.services import scores

    ids = list(
        User.objects.filter(phone__startswith="+2290170")
        .order_by("?")
        .values_list("public_id", flat=True)[:samples]
    )
    times = []
    for public_id in ids:
        t0 = time.perf_counter()
        scores.rescore(public_id, reason="bench", today=TODAY)
        times.append((time.perf_counter() - t0) * 1000)
    return _pcts(times)


def valuation(samples: int) -> dict:
    try:
        from apps.estate.models import Unit
        from apps.scoring.services.valuation import estimate
    except ImportError as missing:  # HokweValuation not there yet
        return {"unavailable": str(missing)}
    ids = list(Unit.objects.order_by("?").values_list("public_id", flat=True)[:samples])
    times = []
    try:
        for public_id in ids:
            t0 = time.perf_counter()
            estimate(public_id)
            times.append((time.perf_counter() - t0) * 1000)
    except Exception as refused:
        return {"unavailable": f"{type(refused).__name__}: {refused}", "timed_before_failure": len(times)}
    return _pcts(times)


def run(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from hokwe.celery import app

    call_command("migrate", verbosity=0)
    settings.CELERY_TASK_ALWAYS_EAGER = False
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
        "scale": args.scale,
        "months": args.months,
    }
    print(f"training the scorecard on {args.train:,} simulated tenants …", flush=True)
    report["model"] = train_model(args.train)
    print(json.dumps(report["model"]), flush=True)
    print(f"building {args.scale:,} tenants × {args.months} months …", flush=True)
    t0 = time.perf_counter()
    world = build_world(args.scale, args.months)
    report["build_seconds"] = round(time.perf_counter() - t0, 1)
    report["dues"] = world["dues"]
    print("features (set-based) and scoring (vectorised), each alone …", flush=True)
    report["parts"], _features = features_and_scoring(args.chunk)
    print(json.dumps(report["parts"]), flush=True)
    print("nightly rescore_all: first run (rows created) …", flush=True)
    report["nightly_first"] = nightly(args.chunk)
    print(json.dumps(report["nightly_first"]), flush=True)
    print("nightly rescore_all: second run (steady state) …", flush=True)
    report["nightly"] = nightly(args.chunk)
    print(json.dumps(report["nightly"]), flush=True)
    if not args.skip_1m:
        print("score_many over 1,000,000 simulated tenants …", flush=True)
        report["score_1m"] = score_one_million(args.chunk)
        print(json.dumps(report["score_1m"]), flush=True)
    print(f"naive per-user ORM loop over {args.naive:,} tenants …", flush=True)
    report["naive"] = naive_run(args.naive)
    print(json.dumps(report["naive"]), flush=True)
    worst = max(report["nightly_first"]["seconds"], report["nightly"]["seconds"])
    per_tenant = worst / report["nightly"]["users"]
    report["extrapolated_1m"] = {
        "nightly_seconds": round(per_tenant * MILLION),
        "naive_seconds": round(MILLION / report["naive"]["per_second"]),
        "basis": f"linear from {report['nightly']['users']:,} tenants (the slower of the two nightly runs)",
    }
    report["ratio_vs_naive"] = round((report["nightly"]["users"] / worst) / report["naive"]["per_second"], 1)
    print(f"incremental rescore × {args.samples} …", flush=True)
    report["incremental"] = incremental(args.samples)
    print(json.dumps(report["incremental"]), flush=True)
    print(f"valuation × {args.samples} …", flush=True)
    report["valuation"] = valuation(args.samples)
    print(json.dumps(report["valuation"]), flush=True)
    report["peak_rss_mib"] = round(peak_rss_mib())
    out = ROOT / "var" / "bench-scoring.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print("\n" + json.dumps(report, indent=2))
    e = report["extrapolated_1m"]
    print(
        f"\nnightly over {report['nightly']['users']:,} tenants: {worst} s ({report['nightly']['per_second']:,}/s steady); "
        f"extrapolated to 1,000,000: {e['nightly_seconds']} s (target < 300 s); naive loop "
        f"{report['naive']['per_second']}/s → {e['naive_seconds']} s for 1,000,000; ratio ×{report['ratio_vs_naive']}; "
        f"score_many at 1,000,000: {report.get('score_1m', {}).get('score_many_seconds', '—')} s; "
        f"incremental p99 {report['incremental']['p99_ms']} ms; valuation {report['valuation']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
