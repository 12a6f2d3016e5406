"""HokweAnalytics product events benchmark (issue 25, Performance: « ingestion of 1,000,000
product events under 60 s»), against Django's bulk_create in the same run.

    .venv/bin/python bench/analytics_events.py                 # starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x .venv/bin/python bench/analytics_events.py
    .venv/bin/python bench/analytics_events.py --events 100000  # quicker

With DATABASE_URL it creates (and drops) its own database `hokwe_bench_analytics_events`
there. The events: --events of them (default 1,000,000) from 50,000 users, 16 names, spread
over the last 25 days (two monthly partitions), each with 3-4 properties (~80 bytes of JSON),
and 2% of them sent twice (a replayed batch). Generation is not timed. Measured, one after the
other on an emptied table:

  service    services.product.events_ingest in batches of 500, as POST /api/v1/analytics/events
             runs it behind the HTTP layer: each event checked (name, time window, properties'
             size), deduplicated in the batch, one INSERT … SELECT FROM unnest(arrays) … ON
             CONFLICT DO NOTHING RETURNING per batch, its own transaction
  copy       services.product.events_bulk_load: COPY into a temporary table, one INSERT … ON
             CONFLICT DO NOTHING (imports)
  baseline   Django's ProductEvent.objects.bulk_create(ignore_conflicts=True, batch_size=500),
             the same events (no checks)

Each prints seconds, events/s and the rows stored (replays counted once); ratio = baseline
seconds / service seconds. Results go to var/bench-analytics-events.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
BENCH_DB = "hokwe_bench_analytics_events"
BATCH = 500
NAMES = [
    "app.opened",
    "screen.viewed",
    "avis.received",
    "pay_link.opened",
    "payment.started",
    "payment.paid",
    "payment.failed",
    "receipt.viewed",
    "listing.viewed",
    "listing.searched",
    "visit.booked",
    "wallet.topped_up",
    "tontine.joined",
    "ai.asked",
    "login.completed",
    "signup.completed",
]


def batches(total: int, seed: int):
    """The same events for every measurement: lists of EventIn (user id, events), 500 a list,
    2% of the events sent again in a later batch."""
    from django.utils import timezone

    from apps.analytics.services.product import EventIn

    rng = random.Random(seed)
    users = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(50_000)]
    now = timezone.now()
    span = 25 * 24 * 3600
    made = 0
    replay: list = []
    while made < total:
        user = rng.choice(users)
        events = []
        for _ in range(min(BATCH, total - made)):
            if replay and rng.random() < 0.02:
                events.append(replay.pop())
            else:
                event = EventIn(
                    event_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    name=rng.choice(NAMES),
                    occurred_at=now - timedelta(seconds=rng.randrange(span)),
                    properties={
                        "screen": rng.choice(("home", "pay", "search")),
                        "v": "2.4.1",
                        "n": rng.randrange(100),
                    },
                    anonymous_id="",
                    session_id=f"s{rng.randrange(10**9)}",
                )
                events.append(event)
                if rng.random() < 0.02:
                    replay.append(event)
            made += 1
        yield user, events


def _empty() -> None:
    from django.db import connection

    from apps.analytics.models import ProductEvent

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {ProductEvent._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {ProductEvent._meta.db_table}")


def _stored() -> int:
    from apps.analytics.models import ProductEvent

    return ProductEvent.objects.count()


def _result(seconds: float, total: int, stored: int) -> dict:
    return {"seconds": round(seconds, 2), "events_per_s": round(total / seconds), "rows_stored": stored}


def measure_service(total: int, seed: int) -> dict:
    from django.utils import timezone

    from apps.analytics.services.product import events_ingest

    _empty()
    spent = accepted = duplicates = 0
    now = timezone.now() + timedelta(minutes=1)
    for user, events in batches(total, seed):
        started = time.perf_counter()
        result = events_ingest(user_id=user, events=events, now=now)
        spent += time.perf_counter() - started
        accepted += result.accepted
        duplicates += result.duplicates
    out = _result(spent, total, _stored())
    out.update(accepted=accepted, duplicates=duplicates)
    return out


def measure_copy(total: int, seed: int) -> dict:
    import json as _json

    from django.utils import timezone

    from apps.analytics.services.product import events_bulk_load

    _empty()
    received = timezone.now()
    rows = [
        (
            e.occurred_at,
            e.event_id,
            e.name,
            user,
            e.anonymous_id,
            e.session_id,
            _json.dumps(e.properties),
            received,
        )
        for user, events in batches(total, seed)
        for e in events
    ]
    started = time.perf_counter()
    inserted = events_bulk_load(rows)
    spent = time.perf_counter() - started
    out = _result(spent, total, _stored())
    out["inserted"] = inserted
    return out


def measure_baseline(total: int, seed: int) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from apps.analytics.models import ProductEvent

    _empty()
    spent = 0.0
    received = timezone.now()
    for user, events in batches(total, seed):
        rows = [
            ProductEvent(
                occurred_at=e.occurred_at,
                event_id=e.event_id,
                name=e.name,
                user=user,
                anonymous_id=e.anonymous_id,
                session_id=e.session_id,
                properties=e.properties,
                received_at=received,
            )
            for e in events
        ]
        started = time.perf_counter()
        with transaction.atomic():
            ProductEvent.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH)
        spent += time.perf_counter() - started
    return _result(spent, total, _stored())


def main() -> int:
    from _services import django_bench_database, peak_rss_mib

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--baseline-events", type=int, default=None, help="default: --events")
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    baseline_events = args.baseline_events or args.events
    with django_bench_database("hokwe-bench-analytics-events-", BENCH_DB, keep=args.keep):
        service = measure_service(args.events, args.seed)
        print("service", json.dumps(service), flush=True)
        copy = measure_copy(args.events, args.seed)
        print("copy", json.dumps(copy), flush=True)
        baseline = measure_baseline(baseline_events, args.seed)
        print("baseline", json.dumps(baseline), flush=True)
        baseline_per_event = baseline["seconds"] / baseline_events
        out = {
            "machine": f"{platform.machine()} · {platform.python_version()}",
            "events": args.events,
            "batch": BATCH,
            "service": service,
            "copy": copy,
            "baseline_bulk_create": {**baseline, "events": baseline_events},
            "ratio_baseline_over_service": round(baseline_per_event * args.events / service["seconds"], 2),
            "ratio_baseline_over_copy": round(baseline_per_event * args.events / copy["seconds"], 2),
            "target_met": service["seconds"] < 60,
            "peak_rss_mib": peak_rss_mib(),
        }
        print(json.dumps(out, indent=2))
        target = ROOT / "var" / "bench-analytics-events.json"
        target.parent.mkdir(exist_ok=True)
        target.write_text(json.dumps(out, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
