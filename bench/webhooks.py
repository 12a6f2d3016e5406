"""Outbound webhook delivery benchmark (issue 16): throughput to a local receiver that answers
or fails on purpose, and the retry schedule.

    .venv/bin/python bench/webhooks.py                          # starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x REDIS_URL=redis://h:p/0 .venv/bin/python bench/webhooks.py
    .venv/bin/python bench/webhooks.py --deliveries 500 --latency-ms 20

With DATABASE_URL it creates (and drops) its own database `hokwe_bench_webhooks` on that
server. The receiver is a real HTTP server (http.server, threaded) on 127.0.0.1 that waits
--latency-ms before answering (a partner's server is never instant). In one process:

  naive     the baseline: the same signed bodies POSTed one after the other with
            `httpx.post` (a new connection each, no database): what a handler calling the
            partner inline would do
  worker    services.deliver_due as the `partners.deliver_due` task runs it: claim a batch
            (SELECT … FOR UPDATE SKIP LOCKED, commit), POST with no transaction open on
            PARTNERS_WEBHOOK_CONCURRENCY threads over one keep-alive client, record each attempt
            and the delivery's new state; with 1 thread too
  failing   the same against a receiver answering 500: every delivery gets its attempt
            logged and its retry scheduled (+1 min ± 5 %)
  schedule  the retry schedule, and one delivery driven through it (time passed in as `now`)
            against the failing receiver: attempt times, and when it gives up
Results are printed and written to var/bench-webhooks.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from _services import Servers, drop_database, peak_rss_mib, prepare_database  # noqa: E402

BENCH_DB = "hokwe_bench_webhooks"


class Receiver:
    def __init__(self, *, status: int, latency: float):
        self.status, self.latency, self.count = status, latency, 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real server
            disable_nagle_algorithm = True
            wbufsize = -1  # headers and body in one write (no Nagle/delayed-ACK stall)

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                time.sleep(receiver.latency)
                with receiver.lock:
                    receiver.count += 1
                body = b'{"ok":true}' if receiver.status < 300 else b"boom"
                self.send_response(receiver.status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--deliveries", type=int, default=2_000, help="deliveries per measurement")
    parser.add_argument("--latency-ms", type=float, default=10.0, help="the receiver's time to answer")
    parser.add_argument("--naive", type=int, default=200, help="deliveries through the naive loop")
    args = parser.parse_args()
    servers = Servers(prefix="hokwe-bench-webhooks-")
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
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import httpx
    from django.conf import settings
    from django.utils import timezone

    from apps.identity.models import Membership, Organization, User
    from apps.partners import services
    from apps.partners.models import Delivery, WebhookEndpoint
    from apps.partners.services.signing import HEADER, signature_header

    settings.PARTNERS_WEBHOOK_TIMEOUT_SECONDS = 10.0
    latency = args.latency_ms / 1000
    ok = Receiver(status=200, latency=latency)
    failing = Receiver(status=500, latency=latency)
    org = Organization.objects.create(name="Agence Bench", kind="agency", city="Cotonou", country="BJ")
    owner = User.objects.create(phone="+2290160000001", full_name="Bench")
    Membership.objects.create(user=owner, organization=org, role="owner")

    def endpoint(url):
        WebhookEndpoint.objects.update(status="disabled")
        return services.endpoint_create(
            actor=owner, organization_id=org.pk, url=url, events=["payment.succeeded"]
        )

    def make(count: int, tag: str):
        now = timezone.now()
        for i in range(count):
            services.deliveries_create(
                organization_id=org.pk,
                event_type="payment.succeeded",
                source_event_id=f"{tag}-{i}",
                data={
                    "intent_id": f"{tag}-{i}",
                    "amount": 75_000,
                    "currency": "XOF",
                    "receipt_number": f"PAY-{i}",
                },
                created=now,
            )
        return now

    def drain(now, concurrency):
        started, done = time.perf_counter(), 0
        while True:
            batch = services.deliver_due(now=now, limit=200, concurrency=concurrency)
            if not batch:
                break
            done += len(batch)
        return done, time.perf_counter() - started

    results: dict = {
        "machine": f"{platform.machine()} · {os.cpu_count()} CPU · Python {platform.python_version()}",
        "latency_ms": args.latency_ms,
        "concurrency": settings.PARTNERS_WEBHOOK_CONCURRENCY,
    }

    # naive baselines: the same signed bodies POSTed one after the other, no bookkeeping
    bodies = [
        json.dumps({"id": f"evt_{i}", "type": "payment.succeeded", "data": {"amount": 75000}}).encode()
        for i in range(args.naive)
    ]

    def post_all(post):
        started = time.perf_counter()
        for body in bodies:
            stamp = int(time.time())
            post(
                ok.url, content=body, headers={HEADER: signature_header(["whsec_x"], stamp, body)}, timeout=10
            )
        seconds = time.perf_counter() - started
        return {
            "deliveries": len(bodies),
            "seconds": round(seconds, 2),
            "per_s": round(len(bodies) / seconds, 1),
        }

    results["naive"] = post_all(httpx.post)  # a new client and connection per event
    with httpx.Client() as client:
        results["naive_keepalive"] = post_all(client.post)  # one connection, still one at a time

    endpoint(ok.url)
    now = make(args.deliveries, "ok")
    done, seconds = drain(now, settings.PARTNERS_WEBHOOK_CONCURRENCY)
    assert Delivery.objects.filter(status="succeeded").count() == args.deliveries == done
    results["worker"] = {"deliveries": done, "seconds": round(seconds, 2), "per_s": round(done / seconds, 1)}

    endpoint(ok.url)
    single = max(args.deliveries // 4, 1)
    now = make(single, "ok1")
    done, seconds = drain(now, 1)
    results["worker_1_thread"] = {
        "deliveries": done,
        "seconds": round(seconds, 2),
        "per_s": round(done / seconds, 1),
    }

    endpoint(failing.url)
    now = make(args.deliveries, "fail")
    done, seconds = drain(now, settings.PARTNERS_WEBHOOK_CONCURRENCY)
    pending = Delivery.objects.filter(
        event_id__in=Delivery.objects.filter(status="pending").values("event_id")
    )
    waits = [(d.next_attempt_at - now).total_seconds() for d in pending.filter(status="pending")]
    results["failing"] = {
        "deliveries": done,
        "seconds": round(seconds, 2),
        "per_s": round(done / seconds, 1),
        "retry_in_s": [round(min(waits), 1), round(max(waits), 1)],
    }

    # the schedule, and one delivery driven through it
    schedule = services.retry_schedule()
    endpoint(failing.url)
    now = make(1, "schedule")
    delivery = Delivery.objects.filter(status="pending").latest("id")
    first = delivery.next_attempt_at
    times = []
    while delivery.status == "pending":
        times.append(delivery.next_attempt_at)
        services.deliver_due(now=delivery.next_attempt_at, ids=[delivery.pk])
        delivery.refresh_from_db()
    results["schedule"] = {
        "planned_h": [round(s / 3600, 3) for _n, s in schedule],
        "driven_h": [round((t - first).total_seconds() / 3600, 3) for t in times],
        "attempts": delivery.attempts,
        "final": delivery.status,
        "span_h": round((times[-1] - first).total_seconds() / 3600, 2),
    }
    results["ratio_worker_vs_naive"] = round(results["worker"]["per_s"] / results["naive"]["per_s"], 1)
    results["ratio_worker_vs_naive_keepalive"] = round(
        results["worker"]["per_s"] / results["naive_keepalive"]["per_s"], 1
    )
    results["peak_rss_mib"] = round(peak_rss_mib(), 1)
    ok.stop()
    failing.stop()

    print(f"machine: {results['machine']}; receiver latency {args.latency_ms} ms")
    for name in ("naive", "naive_keepalive", "worker", "worker_1_thread", "failing"):
        row = results[name]
        print(
            f"{name:16} {row['deliveries']:>6} deliveries in {row['seconds']:>7.2f} s = {row['per_s']:>8.1f}/s"
        )
    print(
        f"failing: next attempt in {results['failing']['retry_in_s'][0]}–{results['failing']['retry_in_s'][1]} s"
    )
    print(
        f"worker / naive: × {results['ratio_worker_vs_naive']}; "
        f"worker / naive keep-alive: × {results['ratio_worker_vs_naive_keepalive']}"
    )
    print("schedule (h after the first attempt):")
    for n, (planned, driven) in enumerate(
        zip(results["schedule"]["planned_h"], results["schedule"]["driven_h"], strict=False), 1
    ):
        print(f"  attempt {n}: planned {planned:7.3f} h, driven {driven:7.3f} h")
    print(
        f"  gave up after {results['schedule']['attempts']} attempts, {results['schedule']['span_h']} h: {results['schedule']['final']}"
    )
    out = ROOT / "var" / "bench-webhooks.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
