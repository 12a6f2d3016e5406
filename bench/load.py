"""Load test of the month-end peak (issue 9): Locust against gunicorn, prod-like settings,
PostgreSQL and Redis, with a baseline measured on the same server in the same run.

    .venv/bin/pip install -r requirements-bench.txt            # locust (bench only)
    .venv/bin/python bench/load.py                              # starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x REDIS_URL=redis://h:p/0 .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --users 60 --duration 40 --workers 2 --threads 4

With DATABASE_URL it creates (and drops) the database `<its name>_bench_load` on that server
and uses the Redis database after REDIS_URL's (flushed; `--redis-db` to choose another).

In-process profile (iterating on the API's per-request cost without Locust or gunicorn):
    .venv/bin/python bench/load.py --inprocess 600 [--profile var/load.prof] [--reuse]
runs the same mix sequentially through Django's test Client on the same settings, and prints
per endpoint the mean ms, SQL queries and Redis round trips per request, and the mix's mean
against /healthz in the same process (the database is kept for `--reuse`).

Phases, one server (gunicorn, gthread, bench/load_settings.py = the prod profile):
  baseline  every Locust user calls /healthz (Django's WSGI handler and one middleware):
            the ceiling of this server on this machine.
  capacity  the month-end scenario (bench/load_locustfile.py) without think time: 70%
            tenants (log in by token refresh, me, ledger accounts and statement, notifications
            inbox and unread count), 30% collectors (create payment intents with an
            Idempotency-Key, list them; paced at the payment-creation limit).
  mix       the same people with think time: latency at a realistic concurrency.
Reported: requests/s, p50/p95/p99, error rate, per endpoint, and capacity rps / baseline rps.
Written to var/bench-load.json. Not in the mix: estate's rent dues (the ledger statement stands
in), OTP code logins (codes go out by SMS) and provider webhooks (they need a provider double
answering the status check).

Where the server's time goes under load:
    .venv/bin/python bench/load.py --py-spy var/bench-load-capacity.spy
samples the gunicorn workers with py-spy (requirements-bench.txt) through the capacity phase,
writes the collapsed stacks there (any flame-graph tool reads them) and prints the summary:
the share of the samples per layer (the leaf frame's package) and the functions of apps/
that the most samples pass through.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VAR = ROOT / "var"
DB_NAME = "hokwe_bench_load"  # with throwaway servers; else <DATABASE_URL's name>_bench_load
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def django_env(database_url: str, redis_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="load_settings",
        PYTHONPATH=f"{BENCH}{os.pathsep}{ROOT}",
    )
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return env


# --- data: runs inside Django (python bench/load.py _setup OUT.json) --------------------------


def setup_data(out: Path, tenants: int, collectors: int) -> None:
    import django

    django.setup()
    import uuid

    from apps.identity.models import Membership
    from apps.identity.services.tokens import tokens_issue
    from apps.ledger import api as ledger
    from apps.ledger.contracts import Leg
    from apps.notifications.models import Message
    from tests.identity.factories import MembershipFactory, UserFactory

    clearing = ledger.system_account(code="provider_clearing.kkiapay", currency="XOF")
    data = {"tenants": [], "collectors": []}
    messages = []
    for n in range(tenants):
        user = UserFactory()
        wallet = ledger.user_wallet(user=user.public_id)
        for amount in (25_000, 50_000, 75_000):
            ledger.transfer(
                idempotency_key=uuid.uuid4().hex,
                code="top_up",
                legs=[
                    Leg.debit(clearing.public_id, amount, "XOF"),
                    Leg.credit(wallet.public_id, amount, "XOF"),
                ],
            )
        messages += [
            Message(
                user=user,
                recipient_key=str(user.public_id),
                channel="inapp",
                template_key="rent.notice",
                category="rent",
                priority="bulk",
                subject=f"Avis d'échéance {i}",
                body="Votre loyer de mars est dû le 5.",
                status="delivered",
            )
            for i in range(20)
        ]
        pair = tokens_issue(user=user, auth_method="otp")
        data["tenants"].append(
            {
                "user": str(user.public_id),
                "access": pair.access_token,
                "refresh": pair.refresh_token,
                "wallet": str(wallet.public_id),
                "ip": f"41.{n // 250 % 250}.{n % 250}.{7 + n // 62500}",
            }
        )
    Message.objects.bulk_create(messages, batch_size=2000)
    for n in range(collectors):
        membership = MembershipFactory(role=Membership.Role.MANAGER)
        ledger.organization_account(organization=membership.organization.public_id, code="owners_payable")
        pair = tokens_issue(user=membership.user, auth_method="otp")
        data["collectors"].append(
            {
                "user": str(membership.user.public_id),
                "access": pair.access_token,
                "organization": str(membership.organization.public_id),
                "ip": f"102.{n // 250 % 250}.{n % 250}.9",
            }
        )
    out.write_text(json.dumps(data))


def reissue_tokens(data_file: Path) -> None:
    """Fresh token pairs for the people of a kept data file (tokens expire and rotate)."""
    import django

    django.setup()
    from apps.identity.models import User
    from apps.identity.services.tokens import tokens_issue

    data = json.loads(data_file.read_text())
    for person in data["tenants"] + data["collectors"]:
        pair = tokens_issue(user=User.objects.get(public_id=person["user"]), auth_method="otp")
        person["access"], person["refresh"] = pair.access_token, pair.refresh_token
    data_file.write_text(json.dumps(data))


# --- in-process profile (python bench/load.py _inprocess DATA N PROFILE) ----------------------


class _Counters:
    """SQL queries (Django's execute wrapper) and Redis round trips (one per command sent, a
    pipeline is one) while a request runs."""

    def __init__(self):
        self.queries = 0
        self.redis = 0

    def sql(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)

    def install_redis(self):
        from redis.connection import AbstractConnection

        counters, send = self, AbstractConnection.send_packed_command

        def counted(conn, command, check_health=True):
            counters.redis += 1
            return send(conn, command, check_health)

        AbstractConnection.send_packed_command = counted


def run_inprocess(data_file: Path, requests: int, profile: str) -> None:
    os.environ.setdefault("THROTTLE_PAYMENT_CREATE", "100000/min")  # one client, no think time
    import django

    django.setup()
    import cProfile
    import pstats
    import random
    import uuid
    from collections import defaultdict

    from django.db import connection
    from django.test import Client

    from apps.identity.models import User
    from apps.identity.services.tokens import tokens_issue

    data = json.loads(data_file.read_text())
    tenants = [dict(t) for t in data["tenants"]]
    collectors = [dict(c) for c in data["collectors"]]
    for person in tenants + collectors:  # fresh pairs: a kept database's tokens were rotated
        pair = tokens_issue(user=User.objects.get(public_id=person["user"]), auth_method="otp")
        person["access"], person["refresh"] = pair.access_token, pair.refresh_token
    client = Client(SERVER_NAME="127.0.0.1", HTTP_HOST="127.0.0.1")
    base = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_ACCEPT_LANGUAGE": "fr"}
    counters = _Counters()
    counters.install_redis()
    stats: dict[str, list] = defaultdict(list)
    rnd = random.Random(7)

    def call(name, method, path, headers, body=None):
        q0, r0 = counters.queries, counters.redis
        started = time.perf_counter()
        with connection.execute_wrapper(counters.sql):
            if method == "GET":
                response = client.get(path, **headers)
            else:
                response = client.post(
                    path, data=json.dumps(body), content_type="application/json", **headers
                )
        elapsed = (time.perf_counter() - started) * 1000
        stats[name].append((elapsed, counters.queries - q0, counters.redis - r0, response.status_code))
        return response

    def tenant_step(t):
        h = {**base, "HTTP_AUTHORIZATION": f"Bearer {t['access']}", "HTTP_X_FORWARDED_FOR": t["ip"]}
        choice = rnd.choices(("dues", "inbox", "login"), weights=(3, 2, 1))[0]
        if choice == "dues":
            call("identity/me", "GET", "/api/v1/identity/me", h)
            call("ledger/accounts", "GET", "/api/v1/ledger/accounts", h)
            call("ledger/statement", "GET", f"/api/v1/ledger/accounts/{t['wallet']}/statement", h)
        elif choice == "inbox":
            call("notifications/unread-count", "GET", "/api/v1/notifications/inbox/unread-count", h)
            call("notifications/inbox", "GET", "/api/v1/notifications/inbox", h)
        else:
            r = call(
                "login (token refresh)",
                "POST",
                "/api/v1/auth/token/refresh",
                {**base, "HTTP_X_FORWARDED_FOR": t["ip"]},
                {"refresh_token": t["refresh"]},
            )
            if r.status_code == 200:
                t["access"], t["refresh"] = r.json()["access_token"], r.json()["refresh_token"]

    def collector_step(c):
        h = {**base, "HTTP_AUTHORIZATION": f"Bearer {c['access']}", "HTTP_X_FORWARDED_FOR": c["ip"]}
        if rnd.random() < 2 / 3:
            body = {
                "organization": c["organization"],
                "amount": rnd.choice([25_000, 50_000, 75_000, 120_000]),
                "description": "Loyer du mois",
                "payer_phone": "+22997" + str(rnd.randint(100000, 999999)),
            }
            call(
                "payments/intents (create)",
                "POST",
                "/api/v1/payments/intents",
                {**h, "HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex},
                body,
            )
        else:
            call("payments/intents", "GET", "/api/v1/payments/intents", h)

    def mix(n):
        while sum(len(v) for k, v in stats.items() if k != "baseline /healthz") < n:
            if rnd.random() < 0.7:
                tenant_step(rnd.choice(tenants))
            else:
                collector_step(rnd.choice(collectors))

    # warm-up: every code path once, then forget
    for t in tenants[:3]:
        for _ in range(4):
            tenant_step(t)
    for c in collectors[:3]:
        collector_step(c)
    stats.clear()
    for _ in range(max(200, requests // 2)):
        call("baseline /healthz", "GET", "/healthz", base)
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    mix(requests)
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
    line = "{:<30} {:>6} {:>9} {:>9} {:>8} {:>7} {:>8}"
    print(line.format("endpoint", "calls", "mean ms", "p95 ms", "queries", "redis", "non-2xx"))
    every = [r for k, v in stats.items() if k != "baseline /healthz" for r in v]

    def row(name, rows):
        ms = sorted(r[0] for r in rows)
        bad = sum(1 for r in rows if r[3] >= 300)
        print(
            line.format(
                name[:30],
                len(rows),
                f"{sum(ms) / len(ms):.2f}",
                f"{ms[int(len(ms) * 0.95)]:.2f}",
                f"{sum(r[1] for r in rows) / len(rows):.1f}",
                f"{sum(r[2] for r in rows) / len(rows):.1f}",
                bad,
            )
        )

    for name in sorted(stats):
        row(name, stats[name])
    row("mix (all)", every)
    base_ms = sum(r[0] for r in stats["baseline /healthz"]) / len(stats["baseline /healthz"])
    mix_ms = sum(r[0] for r in every) / len(every)
    print(f"mix mean / healthz mean: x {mix_ms / base_ms:.1f}  (ratio of rates: {base_ms / mix_ms:.3f})")


# --- the run ------------------------------------------------------------------------------------


def servers(args):
    """DATABASE_URL/REDIS_URL from the environment, else throwaway servers (bench/notifications.py)."""
    if os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"):
        return None, os.environ["DATABASE_URL"], os.environ["REDIS_URL"]
    sys.path.insert(0, str(BENCH))
    from notifications import Servers  # the same throwaway PostgreSQL + Redis

    started = Servers()
    return started, started.start_postgres(), started.start_redis()


def bench_db_name(server_url: str) -> str:
    """`<DATABASE_URL's name>_bench_load` (a shared server: each checkout its own), else DB_NAME."""
    name = urlsplit(server_url).path.lstrip("/")
    return f"{name}_bench_load" if name and name != "postgres" else DB_NAME


def bench_redis_url(server_url: str, db: int | None) -> str:
    """The Redis database after REDIS_URL's (flushed by the run), or `--redis-db`."""
    if db is None:
        current = urlsplit(server_url).path.lstrip("/")
        db = int(current) + 1 if current.isdigit() else 9
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{db}"))


def database_exists(server_url: str) -> bool:
    import psycopg

    with psycopg.connect(with_db(server_url, "postgres"), autocommit=True) as conn:
        name = bench_db_name(server_url)
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def create_database(server_url: str) -> str:
    import psycopg

    name = bench_db_name(server_url)
    with psycopg.connect(with_db(server_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_db(server_url, name)


def drop_database(server_url: str) -> None:
    import psycopg

    with psycopg.connect(with_db(server_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench_db_name(server_url)}" WITH (FORCE)')


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 30) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit("gunicorn exited during start-up (see var/bench-load-gunicorn.log)")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    sys.exit("gunicorn did not answer /healthz")


def run_phase(phase: str, host: str, args, data_file: Path) -> dict:
    prefix = VAR / f"bench-load-{phase}"
    offset = {"baseline": 0, "capacity": 0, "mix": args.tenants // 2}[phase]
    env = dict(os.environ, LOAD_PHASE=phase, LOAD_DATA=str(data_file), LOAD_TENANT_OFFSET=str(offset))
    locust = shutil.which("locust", path=str(Path(PY).parent)) or "locust"
    cmd = [
        locust,
        "-f",
        str(BENCH / "load_locustfile.py"),
        "--headless",
        "--only-summary",
        "-u",
        str(args.users),
        "-r",
        str(args.users),
        "-t",
        f"{args.duration}s",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--stop-timeout",
        "10",  # let in-flight requests finish: no resets counted at the end of a phase
        "--loglevel",
        "WARNING",
    ]
    subprocess.run(cmd, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = {}
    with open(f"{prefix}_stats.csv") as handle:
        for row in csv.DictReader(handle):
            count = int(row["Request Count"])
            rows[row["Name"]] = {
                "requests": count,
                "rps": float(row["Requests/s"]),
                "errors": int(row["Failure Count"]),
                "error_rate": (int(row["Failure Count"]) / count) if count else 0.0,
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
            }
    return rows


def inprocess(args) -> None:
    """Migrate and fill `<name>_bench_load` once (kept; `--reuse` skips it), then run the mix
    in one Django process (bench/load_settings.py) and print what each request costs."""
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        sys.exit("--inprocess needs DATABASE_URL and REDIS_URL")
    VAR.mkdir(exist_ok=True)
    server_db, server_redis = os.environ["DATABASE_URL"], os.environ["REDIS_URL"]
    data_file = VAR / f"bench-load-inprocess-{bench_db_name(server_db)}.json"
    redis_url = bench_redis_url(server_redis, args.redis_db)
    if args.reuse and data_file.exists() and database_exists(server_db):
        database_url = with_db(server_db, bench_db_name(server_db))
        env = django_env(database_url, redis_url)
    else:
        database_url = create_database(server_db)
        env = django_env(database_url, redis_url)
        print("migrating and creating data…", flush=True)
        subprocess.run([PY, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [PY, __file__, "_setup", str(data_file), str(args.tenants), str(args.collectors)],
            cwd=ROOT,
            env=env,
            check=True,
        )
    import redis as redis_client

    redis_client.Redis.from_url(redis_url).flushdb()
    subprocess.run(
        [PY, __file__, "_inprocess", str(data_file), str(args.inprocess), args.profile],
        cwd=ROOT,
        env=env,
        check=True,
    )


def main() -> None:
    if len(sys.argv) >= 2 and sys.argv[1] == "_setup":
        setup_data(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        return
    if len(sys.argv) >= 2 and sys.argv[1] == "_reissue":
        reissue_tokens(Path(sys.argv[2]))
        return
    if len(sys.argv) >= 2 and sys.argv[1] == "_inprocess":
        run_inprocess(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=60, help="concurrent Locust users")
    parser.add_argument("--duration", type=int, default=40, help="seconds per phase")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    parser.add_argument("--tenants", type=int, default=300)
    parser.add_argument("--collectors", type=int, default=60)
    parser.add_argument("--redis-db", type=int, default=None, help="default: REDIS_URL's database + 1")
    parser.add_argument("--inprocess", type=int, metavar="N", help="N mix requests in-process, no Locust")
    parser.add_argument("--profile", default="", help="with --inprocess: write cProfile stats there")
    parser.add_argument(
        "--py-spy",
        default="",
        metavar="FILE",
        help="sample the gunicorn workers with py-spy during the capacity phase (collapsed stacks to FILE)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the kept database and data of an earlier run (fresh tokens)",
    )
    args = parser.parse_args()
    if args.inprocess:
        inprocess(args)
        return
    if shutil.which("locust", path=str(Path(PY).parent)) is None:
        sys.exit("locust is missing: .venv/bin/pip install -r requirements-bench.txt")

    VAR.mkdir(exist_ok=True)
    started, server_db, server_redis = servers(args)
    gunicorn = None
    try:
        redis_url = bench_redis_url(server_redis, args.redis_db)
        data_file = VAR / "bench-load-data.json"
        reuse = args.reuse and started is None and data_file.exists() and database_exists(server_db)
        database_url = with_db(server_db, bench_db_name(server_db)) if reuse else create_database(server_db)
        env = django_env(database_url, redis_url)
        import redis as redis_client

        redis_client.Redis.from_url(redis_url).flushdb()
        if reuse:  # the kept database of an earlier run: fresh tokens for the same people
            subprocess.run([PY, __file__, "_reissue", str(data_file)], cwd=ROOT, env=env, check=True)
        else:
            print("migrating and creating data…", flush=True)
            subprocess.run([PY, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
            subprocess.run(
                [PY, __file__, "_setup", str(data_file), str(args.tenants), str(args.collectors)],
                cwd=ROOT,
                env=env,
                check=True,
            )
        port = free_port()
        log = open(VAR / "bench-load-gunicorn.log", "w")
        gunicorn = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "hokwe.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--worker-class",
                "gthread",
                "--access-logfile",
                "-" if os.environ.get("LOAD_ACCESS_LOG") else "/dev/null",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
        host = f"http://127.0.0.1:{port}"
        wait_until_up(f"{host}/healthz", gunicorn)
        results = {}
        for phase in ("baseline", "capacity", "mix"):
            print(f"phase {phase}: {args.users} users for {args.duration}s…", flush=True)
            spy = None
            if phase == "capacity" and args.py_spy:
                spy = subprocess.Popen(
                    [
                        str(Path(PY).parent / "py-spy"),
                        "record",
                        "--pid",
                        str(gunicorn.pid),
                        "--subprocesses",
                        "--nonblocking",
                        "--rate",
                        "100",
                        "--duration",
                        str(args.duration),
                        "--format",
                        "raw",
                        "--output",
                        args.py_spy,
                    ],
                    stdout=log,
                    stderr=log,
                )
            results[phase] = run_phase(phase, host, args, data_file)
            if spy is not None:
                spy.wait(60)
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(30)
        try:
            if not args.reuse:
                drop_database(server_db)
        finally:
            if started is not None:
                started.stop()

    base, mix = results["baseline"]["Aggregated"], results["mix"]["Aggregated"]
    capacity = results["capacity"]["Aggregated"]
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "args": vars(args),
        "baseline": base,
        "capacity": capacity,
        "mix": mix,
        "endpoints": {k: v for k, v in results["mix"].items() if k != "Aggregated"},
        "capacity_endpoints": {k: v for k, v in results["capacity"].items() if k != "Aggregated"},
        "ratio_capacity_to_baseline": capacity["rps"] / base["rps"] if base["rps"] else None,
    }
    (VAR / "bench-load.json").write_text(json.dumps(report, indent=2))
    line = "{:<34} {:>9} {:>8} {:>8} {:>8} {:>8} {:>7}"
    print(line.format("endpoint", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"))
    rows = [("baseline /healthz", base), ("capacity: mix, no think time", capacity)]
    rows += [(f"  {k}", v) for k, v in report["capacity_endpoints"].items()]
    rows += [("mix with think time (all)", mix), *[(f"  {k}", v) for k, v in report["endpoints"].items()]]
    for name, row in rows:
        print(
            line.format(
                name[:34],
                row["requests"],
                f"{row['rps']:.1f}",
                f"{row['p50_ms']:.0f}",
                f"{row['p95_ms']:.0f}",
                f"{row['p99_ms']:.0f}",
                f"{row['error_rate']:.2%}",
            )
        )
    print(f"ratio capacity / baseline (req/s): {report['ratio_capacity_to_baseline']:.3f}")
    if args.py_spy:
        print(flame_summary(Path(args.py_spy)))


LAYERS = (  # (name, prefixes of a leaf frame's file), first match wins
    ("psycopg: a query sent, its rows read, waiting for PostgreSQL", ("psycopg",)),
    ("redis-py: waiting for Redis (limits, revocation marks, task queue)", ("redis/",)),
    ("Django ORM: queries built and compiled, model instances", ("django/db/",)),
    ("Django REST framework: serializers, views, parsers", ("rest_framework/",)),
    ("Django: handlers, middleware, URLs, i18n, templates", ("django/",)),
    ("our code (apps/, hokwe/)", ("apps/", "hokwe/")),
    ("gunicorn: reading requests, writing responses, its poller", ("gunicorn/", "selectors.py", "socket.py")),
    ("JWT, cryptography, JSON, UUIDs", ("jwt/", "cryptography/", "json/", "uuid.py", "hmac.py", "hashlib")),
    ("logging", ("logging/", "structlog/")),
)
# the request's path through the middleware chain: on every stack, says nothing
_CHAIN = ("middleware.py", "gateway.py", "hosts.py", "audit.py")


def _frame_file(frame: str) -> str:
    # py-spy's raw frames: "function (path/to/file.py:line)"; the path relative to sys.path
    start = frame.rfind("(")
    return frame[start + 1 :].rsplit(":", 1)[0] if start >= 0 else frame


def flame_summary(path: Path, top: int = 15) -> str:
    """Share of the samples per layer (by the leaf frame's file) and, per function of apps/,
    the samples where it was the innermost of our frames (the middleware chain left out):
    what our code led to."""
    layers: dict[str, int] = {}
    ours: dict[str, int] = {}
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        leaf = _frame_file(frames[-1])
        layer = next(
            (
                name
                for name, prefixes in LAYERS
                if any(leaf.startswith(p) or "/" + p in leaf for p in prefixes)
            ),
            "other (standard library, other packages)",
        )
        layers[layer] = layers.get(layer, 0) + n
        inner = [
            f for f in frames if _frame_file(f).startswith("apps/") and not _frame_file(f).endswith(_CHAIN)
        ]
        name = (
            (inner[-1].split(" (")[0] + " (" + _frame_file(inner[-1]) + ")") if inner else "(none: the chain)"
        )
        ours[name] = ours.get(name, 0) + n
    if not total:
        return f"py-spy: no samples in {path}"
    out = [f"py-spy: {total} samples of the gunicorn workers ({path})", "by layer (leaf frame):"]
    out += [f"  {n / total:6.1%}  {name}" for name, n in sorted(layers.items(), key=lambda kv: -kv[1])]
    out.append(f"innermost function of apps/ (top {top}):")
    out += [f"  {n / total:6.1%}  {name}" for name, n in sorted(ours.items(), key=lambda kv: -kv[1])[:top]]
    return "\n".join(out)


if __name__ == "__main__":
    main()
