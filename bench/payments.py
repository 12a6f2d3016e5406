"""Payments benchmark (issue 6): one command, figures and ratios from one run on one server.

    .venv/bin/python bench/payments.py                 # starts its own PostgreSQL and Redis
    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/payments.py

On gunicorn (gthread workers), on this machine, in the same run:
  bare      a bare Django view through the same middleware stack: the ceiling of the stack
  webhook   Kkiapay webhooks: secret checked (constant time), raw event stored once, the
            processing task queued on Redis, 200 returned (the Celery worker is not part of
            the ack); 16 concurrent senders
              - at a fixed 200 requests/s (open loop): ack latency p50/p99 (target p99 < 50 ms)
              - as fast as 16 senders go (closed loop): requests/s, vs bare
  e2e       one payment end to end, per client: POST intent (REST, bearer token), POST attempt
            (sandbox), approve on the sandbox page (its signed webhook is stored), return
            to the pay link (the server verifies with the provider and posts to the ledger);
            payments/s with 16 clients and the latency of a whole payment, vs bare; the
            median of each of its 5 requests with 1 client (where a payment's time goes)
  --py-spy FILE  samples the gunicorn workers with py-spy (requirements-bench.txt) during the
            16-client payments: collapsed stacks to FILE and the summary of bench/load.py
Results are printed and written to var/bench-payments.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
SENDERS = 16


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Services:
    """Throwaway PostgreSQL (initdb, default durability) and Redis, removed at the end."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="hokwe-bench-payments-"))
        self.procs: list[subprocess.Popen] = []
        self.pg_data = None
        self.as_user: list[str] = []

    def start_postgres(self) -> str:
        bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        bindir = bindir[-1] if bindir else Path(shutil.which("initdb") or "/usr/bin/initdb").parent
        if os.geteuid() == 0:
            if subprocess.run(["id", "-u", "postgres"], capture_output=True).returncode != 0:
                subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
            shutil.chown(self.dir, "postgres")
            os.chmod(self.dir, 0o755)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.bindir = bindir
        self.pg_data = self.dir / "data"
        port = free_port()
        subprocess.run(
            [*self.as_user, bindir / "initdb", "-D", self.pg_data, "-U", "postgres", "--auth=trust"],
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB"
        subprocess.run(
            [
                *self.as_user,
                bindir / "pg_ctl",
                "-D",
                self.pg_data,
                "-l",
                self.dir / "pg.log",
                "-w",
                "-o",
                options,
                "start",
            ],
            check=True,
            capture_output=True,
        )
        return f"postgres://postgres@127.0.0.1:{port}/postgres"

    def start_redis(self) -> str:
        port = free_port()
        proc = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.procs.append(proc)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                return f"redis://127.0.0.1:{port}/0"
            except OSError:
                time.sleep(0.05)
        sys.exit("redis-server did not start")

    def stop(self):
        for proc in self.procs:
            proc.terminate()
        if self.pg_data is not None:
            subprocess.run(
                [*self.as_user, self.bindir / "pg_ctl", "-D", self.pg_data, "-m", "fast", "stop"],
                capture_output=True,
            )
        shutil.rmtree(self.dir, ignore_errors=True)


def with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def prepare_database(server_url: str, name: str = "hokwe_bench_payments") -> str:
    import psycopg

    with psycopg.connect(with_db(server_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_db(server_url, name)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))]
        if ordered
        else float("nan")
    )


def summary(latencies: list[float], errors: int, seconds: float) -> dict:
    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(seconds, 2),
        "per_second": round(len(latencies) / seconds, 1) if seconds else 0,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2) if latencies else 0,
    }


FIRST_ERRORS: list[str] = []


def note(step: str, response) -> bool:
    """A failed step: print the first few, count it as an error."""
    if len(FIRST_ERRORS) < 3:
        FIRST_ERRORS.append(step)
        print(f"error at {step}: HTTP {response.status_code} {response.text[:300]}", flush=True)
    return False


def guarded(make_request, client, index, n) -> bool:
    try:
        return make_request(client, index, n)
    except Exception as exc:  # counted as an error, the first ones are printed
        if len(FIRST_ERRORS) < 3:
            FIRST_ERRORS.append(repr(exc))
            print("error:", repr(exc), flush=True)
        return False


def closed_loop(make_request, seconds: float, senders: int = SENDERS) -> dict:
    """`senders` threads send back to back for `seconds`."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def sender(index):
        nonlocal errors
        with httpx.Client(timeout=10) as client:
            n = 0
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                ok = guarded(make_request, client, index, n)
                elapsed = time.perf_counter() - started
                n += 1
                with lock:
                    latencies.append(elapsed)
                    errors += not ok

    started = time.perf_counter()
    threads = [threading.Thread(target=sender, args=(i,)) for i in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return summary(latencies, errors, time.perf_counter() - started)


def open_loop(make_request, rate: float, seconds: float, senders: int = SENDERS) -> dict:
    """`senders` threads share a fixed schedule of `rate` requests/s; latency counts from the
    scheduled send time, so a server that falls behind shows it (no coordinated omission)."""
    total = int(rate * seconds)
    interval = 1.0 / rate
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    t0 = time.perf_counter() + 0.2

    def sender(index):
        nonlocal errors
        with httpx.Client(timeout=10) as client:
            for n in range(index, total, senders):
                due = t0 + n * interval
                delay = due - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                ok = guarded(make_request, client, index, n)
                elapsed = time.perf_counter() - due
                with lock:
                    latencies.append(elapsed)
                    errors += not ok

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return summary(latencies, errors, time.perf_counter() - t0)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=12.0, help="duration of each measured run")
    parser.add_argument("--rate", type=float, default=200.0, help="open-loop webhook rate (requests/s)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument(
        "--py-spy",
        default="",
        metavar="FILE",
        help="sample the gunicorn workers with py-spy (requirements-bench.txt) during the 16-client "
        "payments; collapsed stacks to FILE, summary printed",
    )
    args = parser.parse_args()

    services = Services()
    server = None
    try:
        database = os.environ.get("DATABASE_URL") or services.start_postgres()
        redis = os.environ.get("REDIS_URL") or services.start_redis()
        database = prepare_database(database)
        env = {
            **os.environ,
            "DATABASE_URL": database,
            "REDIS_URL": redis,
            "DJANGO_SETTINGS_MODULE": "bench.payments_settings",
            "PYTHONPATH": str(ROOT),
        }
        print(
            f"database {urlsplit(database).path[1:]} on {urlsplit(database).netloc}; migrating…", flush=True
        )
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
        )
        setup = subprocess.run(
            [sys.executable, "-c", SETUP_SNIPPET],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        fixture = json.loads(setup.stdout.strip().splitlines()[-1])
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "hokwe.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-k",
                "gthread",
                "-w",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        args.server_pid = server.pid
        for _ in range(200):
            try:
                if httpx.get(f"{base}/bench/bare", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            sys.exit("gunicorn did not start")
        return run(args, base, fixture)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        services.stop()


SETUP_SNIPPET = """
import django, json
django.setup()
from apps.identity.models import Membership
from apps.identity.services.tokens import tokens_issue
from tests.identity.factories import MembershipFactory, OrganizationFactory
org = OrganizationFactory(name="Agence Bench")
manager = MembershipFactory(organization=org, role=Membership.Role.MANAGER).user
pair = tokens_issue(user=manager, auth_method="otp")
print(json.dumps({"org": str(org.public_id), "token": pair.access_token}))
"""


def run(args, base: str, fixture: dict) -> int:
    secret = os.environ.get("KKIAPAY_WEBHOOK_SECRET", "bench-webhook-secret")
    run_id = uuid.uuid4().hex[:8]

    def bare(client, index, n):
        return client.post(f"{base}/bench/bare", content=b"{}").status_code == 200

    def webhook(client, index, n):
        body = json.dumps(
            {
                "transactionId": f"bench-{run_id}-{index}-{n}-{time.perf_counter_ns()}",
                "isPaymentSucces": True,
                "event": "transaction.success",
                "amount": 75000,
                "partnerId": "",
            }
        ).encode()
        response = client.post(
            f"{base}/api/v1/payments/webhooks/kkiapay",
            content=body,
            headers={"Content-Type": "application/json", "x-kkiapay-secret": secret},
        )
        return response.status_code == 200

    auth = {"Authorization": f"Bearer {fixture['token']}", "Content-Type": "application/json"}

    steps_ms: dict[str, list[float]] = {}  # per request of a payment: where its time goes

    def timed(step, call, *a, **kw):
        started = time.perf_counter()
        response = call(*a, **kw)
        steps_ms.setdefault(step, []).append((time.perf_counter() - started) * 1000)
        return response

    def payment(client, index, n):
        created = timed(
            "1 create the intent (REST)",
            client.post,
            f"{base}/api/v1/payments/intents",
            json={"organization": fixture["org"], "amount": 75000, "description": f"Loyer bench {index}-{n}"},
            headers={**auth, "Idempotency-Key": uuid.uuid4().hex},
        )
        if created.status_code != 201:
            return note("create", created)
        intent = created.json()
        attempt = timed(
            "2 start the attempt (REST)",
            client.post,
            f"{base}/api/v1/payments/intents/{intent['id']}/attempts",
            json={"provider": "sandbox"},
            headers=auth,
        )
        if attempt.status_code != 201:
            return note("attempt", attempt)
        sandbox_url = attempt.json()["url"]
        token = intent["pay_url"].rsplit("/", 1)[1]
        approved = timed(
            "3 approve on the sandbox (its webhook stored, queued)",
            client.post,
            sandbox_url,
            data={"decision": "approve", "next": f"/pay/{token}/callback"},
        )
        if approved.status_code != 302:
            return note("approve", approved)
        # the callback: the provider asked, the ledger posted, the receipt numbered
        back = timed("4 the return (verify + post)", client.get, base + approved.headers["location"])
        if back.status_code != 302:
            return note("callback", back)
        final = timed(
            "5 read the intent (REST)",
            client.get,
            f"{base}/api/v1/payments/intents/{intent['id']}",
            headers=auth,
        )
        if final.status_code != 200 or final.json()["status"] != "succeeded":
            return note("final", final)
        return True

    print("warm-up…", flush=True)
    closed_loop(bare, 2)
    closed_loop(webhook, 2)
    closed_loop(payment, 2)
    load_before = os.getloadavg()[0]

    results = {}
    print(f"bare view, {SENDERS} senders, closed loop…", flush=True)
    results["bare_closed"] = closed_loop(bare, args.seconds)
    print(f"webhook ack, {SENDERS} senders, closed loop…", flush=True)
    results["webhook_closed"] = closed_loop(webhook, args.seconds)
    print(f"bare view at {args.rate:.0f} req/s…", flush=True)
    results["bare_open"] = open_loop(bare, args.rate, args.seconds)
    print(f"webhook ack at {args.rate:.0f} req/s…", flush=True)
    results["webhook_open"] = open_loop(webhook, args.rate, args.seconds)
    print("payment end to end, 1 client (the latency of one payment)…", flush=True)
    steps_ms.clear()
    results["e2e_1_client"] = closed_loop(payment, args.seconds, senders=1)
    results["e2e_1_client_steps_p50_ms"] = {
        step: round(percentile(values, 50), 2) for step, values in sorted(steps_ms.items())
    }
    print("bare view, 1 client…", flush=True)
    results["bare_1_client"] = closed_loop(bare, args.seconds / 2, senders=1)
    print(f"payment end to end, {SENDERS} clients…", flush=True)
    spy = None
    if args.py_spy:
        spy = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "--pid",
                str(args.server_pid),
                "--subprocesses",
                "--nonblocking",
                "--rate",
                "100",
                "--duration",
                str(int(args.seconds)),
                "--format",
                "raw",
                "--output",
                args.py_spy,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    results["e2e"] = closed_loop(payment, args.seconds)
    if spy is not None:
        spy.wait(60)

    bare_rps = results["bare_closed"]["per_second"]
    ratios = {
        "webhook_vs_bare_throughput": round(results["webhook_closed"]["per_second"] / bare_rps, 3),
        "webhook_vs_bare_p99_at_rate": round(
            results["webhook_open"]["p99_ms"] / results["bare_open"]["p99_ms"], 2
        ),
        "e2e_payments_vs_bare_requests": round(results["e2e"]["per_second"] / bare_rps, 4),
        # a payment is 6 HTTP requests: this compares request for request
        "e2e_requests_vs_bare": round(results["e2e"]["per_second"] * 6 / bare_rps, 3),
        "e2e_1_client_latency_vs_bare": round(
            results["e2e_1_client"]["p50_ms"] / results["bare_1_client"]["p50_ms"], 1
        ),
    }
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            # the machine is shared: a load above the core count means other work competed
            "load_average_1m_at_start": round(load_before, 2),
            "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        },
        "gunicorn": {"workers": args.workers, "threads": args.threads},
        "results": results,
        "ratios": ratios,
        "target_webhook_p99_ms_at_200_rps": 50,
        "target_met": results["webhook_open"]["p99_ms"] < 50 and results["webhook_open"]["errors"] == 0,
    }
    print(json.dumps(report, indent=2))
    if args.py_spy:
        from load import flame_summary  # bench/load.py, next to this script

        print(flame_summary(Path(args.py_spy)))
    out = ROOT / "var" / "bench-payments.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
