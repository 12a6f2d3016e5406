"""Notifications benchmark (issue 5): the monthly rent-notice run, measured in one process.

    .venv/bin/python bench/notifications.py                 # starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x REDIS_URL=redis://h:p/0 .venv/bin/python bench/notifications.py
    .venv/bin/python bench/notifications.py --count 20000   # a quicker run
    .venv/bin/python bench/notifications.py --no-drain      # the enqueue and its baseline only
    BENCH_PROFILE=1 .venv/bin/python bench/notifications.py --count 4000 --no-drain   # cProfile of the enqueue
    (BENCH_PROFILE_SORT=tottime: sorted by own time instead of cumulative)

With DATABASE_URL it creates (and drops) its own database `hokwe_bench_notifications` on
that server; the test profile's Redis database on REDIS_URL is flushed: give it a Redis
nothing else uses.

What it measures:
  enqueue  api.send_many: render and write --count rent notices (SMS + in-app, bulk
           priority), SMS batches handed to the bulk queue on Redis; messages/s
  drain    a real Celery worker (solo pool, in this process) delivers the SMS through the
           console provider (its output goes to a file); deliveries/s
  naive    --naive calls of api.send() one by one (same messages), eager mode off: the
           baseline; ratio = enqueue rate / naive rate
  memory   peak RSS of the process (ru_maxrss)
Results are printed and written to var/bench-notifications.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from _services import (  # noqa: E402
    Servers,
    drop_database,
    peak_rss_mib,
    prepare_database,
)

BENCH_DB = "hokwe_bench_notifications"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000, help="rent notices in the bulk run")
    parser.add_argument("--naive", type=int, default=2_000, help="send() calls in the baseline")
    parser.add_argument(
        "--no-drain", action="store_true", help="measure the enqueue only (no worker delivering the SMS)"
    )
    args = parser.parse_args()

    servers = Servers(prefix="hokwe-bench-notif-")
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


def run(args) -> int:
    import django

    django.setup()
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from apps.estate.messages import RENT_NOTICE
    from apps.notifications import api
    from apps.notifications.contracts import SendRequest
    from apps.notifications.models import Message
    from hokwe.celery import app

    call_command("migrate", verbosity=0)
    settings.NOTIFICATIONS_QUIET_HOURS = "off"
    settings.SMS_BACKEND = "console"
    outbox = Path(tempfile.mkdtemp(prefix="hokwe-bench-outbox-")) / "console.txt"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    redis = app.connection_for_write()
    redis.default_channel.client.flushdb()

    total = args.count + args.naive
    print(f"creating {total:,} tenants …", flush=True)
    User = get_user_model()
    for start in range(0, total, 10_000):
        User.objects.bulk_create(
            [
                User(
                    phone=f"+22901{60_000_000 + n}",
                    full_name=f"Locataire {n}",
                    password="!",
                    preferred_language="en" if n % 5 == 0 else "fr",
                )
                for n in range(start, min(start + 10_000, total))
            ],
            batch_size=2_000,
        )
    users = list(User.objects.order_by("id").values_list("public_id", flat=True))
    bulk_users, naive_users = users[: args.count], users[args.count :]

    def request(public_id, n) -> SendRequest:
        return SendRequest(
            recipient=str(public_id),
            template_key=RENT_NOTICE,
            context={
                "tenant_name": f"Locataire {n}",
                "amount": {"amount": 50_000 + (n % 8) * 5_000, "currency": "XOF"},
                "period": "avril 2026",
                "due_date": "2026-04-05",
                "property_name": f"Résidence Les Cocotiers, apt {n % 300}",
                "reference": f"LOY-2026-04-{n:06d}",
                "pay_url": f"https://hokwe.com/pay/{n:06d}",
            },
            channels=("sms", "inapp"),
            priority="bulk",
            idempotency_key=f"rent_notice:2026-04:{n}",
        )

    # --- baseline: a naive loop of send() -----------------------------------------------
    print(f"naive: {args.naive:,} send() calls …", flush=True)
    started = time.perf_counter()
    for n, public_id in enumerate(naive_users):
        r = request(public_id, n)
        api.send(
            r.recipient,
            r.template_key,
            r.context,
            channels=r.channels,
            priority=r.priority,
            idempotency_key=r.idempotency_key,
        )
    naive_seconds = time.perf_counter() - started
    naive_rate = args.naive / naive_seconds
    Message.objects.all().delete()
    redis.default_channel.client.flushdb()

    # --- bulk enqueue ----------------------------------------------------------------------
    print(f"enqueue: {args.count:,} rent notices (SMS + in-app) …", flush=True)
    started = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        results = profiler.runcall(
            api.send_many, (request(public_id, n) for n, public_id in enumerate(bulk_users))
        )
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative")).print_stats(35)
    else:
        results = api.send_many(request(public_id, n) for n, public_id in enumerate(bulk_users))
    enqueue_seconds = time.perf_counter() - started
    assert len(results) == args.count
    messages = Message.objects.count()
    enqueue_rate = args.count / enqueue_seconds
    rss_after_enqueue = peak_rss_mib()

    # --- drain through a real worker -------------------------------------------------------
    sent = printed = 0
    drain_seconds = 0.0
    if not args.no_drain:
        print("drain: a real worker delivers the SMS through the console provider …", flush=True)
        sms = Message.objects.filter(channel="sms")
        started = time.perf_counter()
        with open(outbox, "w") as sink, contextlib.redirect_stdout(sink):
            with start_worker(
                app, pool="solo", perform_ping_check=False, shutdown_timeout=30, queues=["notifications.bulk"]
            ):
                deadline = time.monotonic() + 3600
                while time.monotonic() < deadline and sms.filter(status="sent").count() < args.count:
                    time.sleep(0.5)
        drain_seconds = time.perf_counter() - started
        sent = sms.filter(status="sent").count()
        printed = sum(1 for line in open(outbox) if line.startswith("┌── SMS"))

    figures = {
        "count": args.count,
        "messages_written": messages,
        "enqueue_seconds": round(enqueue_seconds, 2),
        "enqueue_notices_per_second": round(enqueue_rate),
        "enqueue_messages_per_second": round(messages / enqueue_seconds),
        "naive_send_calls": args.naive,
        "naive_notices_per_second": round(naive_rate),
        "ratio_bulk_vs_naive": round(enqueue_rate / naive_rate, 1),
        "naive_projection_seconds_for_count": round(args.count / naive_rate, 1),
        "drain_seconds": round(drain_seconds, 2),
        "sms_sent": sent,
        "console_outbox_lines": printed,
        "deliveries_per_second": round(sent / drain_seconds) if drain_seconds else None,
        "peak_rss_mib_after_enqueue": round(rss_after_enqueue),
        "peak_rss_mib": round(peak_rss_mib()),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }
    print(json.dumps(figures, indent=2))
    print(
        f"\nenqueue {args.count:,} notices ({messages:,} messages) in {enqueue_seconds:.1f} s = "
        f"{enqueue_rate:,.0f} notices/s; naive send() {naive_rate:,.0f}/s -> x{enqueue_rate / naive_rate:.1f}; "
        + (
            f"drain {sent:,} SMS in {drain_seconds:.1f} s = {sent / drain_seconds:,.0f}/s; "
            if drain_seconds
            else ""
        )
        + f"peak RSS {peak_rss_mib():.0f} MiB; load average {os.getloadavg()[0]:.1f}"
    )
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "bench-notifications.json").write_text(json.dumps(figures, indent=2))
    return 0 if args.no_drain or sent == args.count else 1


if __name__ == "__main__":
    sys.exit(main())
