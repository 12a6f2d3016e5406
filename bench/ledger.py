"""Ledger benchmark (issue 4): one command, figures and ratios from one run on one PostgreSQL.

    .venv/bin/python bench/ledger.py              # ~5 min: starts its own PostgreSQL
    .venv/bin/python bench/ledger.py --full       # adds transfer_many on 1,000,000 (peak RSS)
    DATABASE_URL=postgres://user@host:port/x .venv/bin/python bench/ledger.py   # an existing server

What it measures, on the same server:
  limit   pgbench's built-in TPC-B-like script at 1 and 8 clients (scale 10)
  single  api.transfer: 2 postings, idempotency key, balance check (limited source account),
          at 1 and 8 client processes, transfers/s and ratio to pgbench
  hot     8 clients all debiting one merchant account
  batch   api.transfer_many on 100,000 transfers (and 1,000,000 with --full): transfers/s, peak RSS
  reads   balance now / as-of / a statement page on an account with --legs postings (1,000,000)
  peer    django-hordak 2.x doing the same transfers (its own balance read as the check) and
          its balance read on an account with the same number of legs; installed in its own
          virtualenv (var/bench-hordak-venv, from bench/requirements-bench.txt)

Results are printed and written to var/bench-ledger.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
HORDAK_VENV = ROOT / "var" / "bench-hordak-venv"
DESTINATIONS = 1000


# --- the PostgreSQL server ----------------------------------------------------------------


def pg_bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    sys.exit("PostgreSQL binaries not found (apt-get install postgresql)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayServer:
    """initdb + pg_ctl in a temporary directory, default durability (fsync on,
    synchronous_commit on), removed at the end."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="hokwe-bench-pg-"))
        self.port = free_port()
        self.bindir = pg_bindir()
        self.as_user = []
        if os.geteuid() == 0:
            if subprocess.run(["id", "-u", "postgres"], capture_output=True).returncode != 0:
                subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
            shutil.chown(self.dir, "postgres")
            os.chmod(self.dir, 0o755)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def start(self) -> str:
        data = self.dir / "data"
        subprocess.run(
            [
                *self.as_user,
                self.bindir / "initdb",
                "-D",
                data,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
            ],
            check=True,
            capture_output=True,
        )
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200 "
            "-c shared_buffers=512MB -c max_wal_size=4GB"
        )
        subprocess.run(
            [
                *self.as_user,
                self.bindir / "pg_ctl",
                "-D",
                data,
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
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self):
        subprocess.run(
            [*self.as_user, self.bindir / "pg_ctl", "-D", self.dir / "data", "-m", "fast", "stop"],
            capture_output=True,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_db(url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(with_db(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_db(url, name)


def server_settings(url: str) -> dict:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT name, setting FROM pg_settings WHERE name IN ('fsync','synchronous_commit',"
            "'shared_buffers','server_version','max_connections')"
        ).fetchall()
    return dict(rows)


# --- pgbench --------------------------------------------------------------------------------


def pgbench(url: str, clients: int, duration: int) -> float:
    parts = urlsplit(url)
    env = {
        **os.environ,
        "PGHOST": parts.hostname,
        "PGPORT": str(parts.port or 5432),
        "PGUSER": parts.username or "postgres",
        "PGPASSWORD": parts.password or "",
    }
    db = parts.path.lstrip("/")
    out = subprocess.run(
        [
            pg_bindir() / "pgbench",
            "-n",
            "-c",
            str(clients),
            "-j",
            str(min(clients, 2)),
            "-T",
            str(duration),
            db,
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out).group(1))


def pgbench_init(url: str, scale: int = 10) -> None:
    parts = urlsplit(url)
    env = {
        **os.environ,
        "PGHOST": parts.hostname,
        "PGPORT": str(parts.port or 5432),
        "PGUSER": parts.username or "postgres",
    }
    subprocess.run(
        [pg_bindir() / "pgbench", "-i", "-q", "-s", str(scale), parts.path.lstrip("/")],
        env=env,
        check=True,
        capture_output=True,
    )


# --- our ledger (phases run in child processes with Django set up) ------------------------


def django_setup(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "ledger_bench_settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path[:0] = [str(ROOT), str(BENCH)]
    import django

    django.setup()


def phase_setup(url: str, clients: int) -> dict:
    """Migrate, create the accounts and fund the limited ones."""
    from uuid import UUID

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from apps.ledger import api
    from apps.ledger.contracts import AccountKind, Leg, OwnerType, TransferRequest

    def account(code, limited):
        return str(
            api.create_account(
                code=code,
                name=code,
                currency="XOF",
                kind=AccountKind.LIABILITY,
                owner_type=OwnerType.SYSTEM,
                debits_must_not_exceed_credits=limited,
            ).public_id
        )

    funding = api.system_account(code="provider_clearing.kkiapay", currency="XOF").public_id
    sources = [account(f"bench.source.{i}", True) for i in range(clients)]
    merchant = account("bench.merchant", True)
    destinations = [account(f"bench.dest.{i}", False) for i in range(DESTINATIONS)]
    big = account("bench.big", False)
    api.transfer_many(
        TransferRequest(
            idempotency_key=f"fund:{a}",
            code="fund",
            legs=(Leg.debit(funding, 10**12, "XOF"), Leg.credit(UUID(a), 10**12, "XOF")),
        )
        for a in [*sources, merchant]
    )
    return {"sources": sources, "merchant": merchant, "destinations": destinations, "big": big}


def _transfer_worker(url, accounts, index, hot, barrier, deadline_box, results):
    django_setup(url)
    from uuid import UUID

    from django.db import connection

    from apps.ledger import api
    from apps.ledger.contracts import Leg

    source = UUID(accounts["merchant"] if hot else accounts["sources"][index])
    destinations = [UUID(d) for d in accounts["destinations"]]
    rng = random.Random(index)
    run = f"{'hot' if hot else 'single'}-{os.getpid()}-{time.time_ns()}"
    api.balance(account=source)  # connect before the clock starts, like pgbench
    barrier.wait()
    deadline = time.monotonic() + deadline_box.value  # every client starts on the barrier
    count = 0
    while time.monotonic() < deadline:
        amount = rng.randint(1, 100)
        api.transfer(
            idempotency_key=f"{run}-{count}",
            code="bench",
            legs=[Leg.debit(source, amount, "XOF"), Leg.credit(rng.choice(destinations), amount, "XOF")],
        )
        count += 1
    connection.close()
    results.put(count)


def run_clients(target, args_for, clients: int, duration: int) -> float:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(clients + 1)
    seconds = ctx.Value("d", float(duration))
    results = ctx.Queue()
    procs = [
        ctx.Process(target=target, args=(*args_for(i), barrier, seconds, results)) for i in range(clients)
    ]
    for p in procs:
        p.start()
    barrier.wait(timeout=300)  # every client is connected: the clock starts for all at once
    total = sum(results.get(timeout=duration + 300) for _ in procs)
    for p in procs:
        p.join()
    return total / duration


def phase_batch(url: str, count: int, accounts: dict) -> dict:
    import resource
    from uuid import UUID

    from apps.ledger import api
    from apps.ledger.contracts import Leg, TransferRequest

    destinations = [UUID(d) for d in accounts["destinations"]]
    run = time.time_ns()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    n = len(destinations)

    def requests():  # cheap and deterministic: the bench measures the ledger, not random()
        for i in range(count):
            a, b = destinations[i % n], destinations[(7 * i + 1) % n]  # never equal: 6i+1 is odd
            amount = 1 + (37 * i) % 10_000
            yield TransferRequest(
                idempotency_key=f"batch-{run}-{i}",
                code="batch",
                legs=(Leg.debit(a, amount, "XOF"), Leg.credit(b, amount, "XOF")),
            )

    start = time.perf_counter()
    result = api.transfer_many(requests())
    elapsed = time.perf_counter() - start
    assert result.created == count
    return {
        "transfers": count,
        "seconds": elapsed,
        "per_second": count / elapsed,
        "rss_before_mb": rss_before / 1024,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def phase_reads(url: str, legs: int, accounts: dict) -> dict:
    from uuid import UUID

    from django.db import connection
    from django.utils import timezone

    from apps.ledger import api
    from apps.ledger.contracts import Leg, TransferRequest

    big = UUID(accounts["big"])
    destinations = [UUID(d) for d in accounts["destinations"]]
    run = time.time_ns()
    half = legs // 2

    def requests(start, stop):
        for i in range(start, stop):
            amount = 1 + (37 * i) % 10_000
            yield TransferRequest(
                idempotency_key=f"legs-{run}-{i}",
                code="legs",
                legs=(
                    Leg.debit(big, amount, "XOF"),
                    Leg.credit(destinations[i % len(destinations)], amount, "XOF"),
                ),
            )

    load = time.perf_counter()
    api.transfer_many(requests(0, half))
    middle = timezone.now()
    api.transfer_many(requests(half, legs))
    load = time.perf_counter() - load
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ledger_posting")

    def timed(func, n):
        func()
        start = time.perf_counter()
        for _ in range(n):
            func()
        return (time.perf_counter() - start) / n * 1e6  # µs

    sequence = api.statement(account=big, start=middle, limit=1).lines[0].sequence
    return {
        "legs": legs,
        "load_seconds": load,
        "balance_us": timed(lambda: api.balance(account=big), 2000),
        "balance_as_of_us": timed(lambda: api.balance(account=big, as_of=middle), 500),
        "statement_page_us": timed(
            lambda: api.statement(account=big, after_sequence=sequence, limit=100), 200
        ),
        "statement_period_us": timed(lambda: api.statement(account=big, start=middle, limit=100), 200),
    }


def child(argv: list[str]) -> None:
    """Entry point of the child processes: `ledger.py --child PHASE URL JSON`."""
    phase, url, payload = argv
    payload = json.loads(payload)
    django_setup(url)
    if phase == "setup":
        out = phase_setup(url, payload["clients"])
    elif phase == "batch":
        out = phase_batch(url, payload["count"], payload["accounts"])
    elif phase == "reads":
        out = phase_reads(url, payload["legs"], payload["accounts"])
    else:
        raise SystemExit(f"unknown phase {phase}")
    print("RESULT " + json.dumps(out))


def run_child(
    phase: str, url: str, payload: dict, python: str | None = None, script: Path | None = None
) -> dict:
    out = subprocess.run(
        [python or sys.executable, str(script or Path(__file__)), "--child", phase, url, json.dumps(payload)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if out.returncode != 0:
        raise RuntimeError(f"phase {phase} failed:\n{out.stderr[-4000:]}")
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(out.stdout + out.stderr)


# --- the peer: django-hordak in its own virtualenv ------------------------------------------


def hordak_python() -> str:
    python = HORDAK_VENV / "bin" / "python"
    if not python.exists():
        log(f"creating {HORDAK_VENV} (django-hordak, bench only)")
        subprocess.run([sys.executable, "-m", "venv", str(HORDAK_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-r", str(BENCH / "requirements-bench.txt")],
            check=True,
        )
    return str(python)


# --- orchestration ------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def machine() -> dict:
    cpu = "?"
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem, 1),
        "python": platform.python_version(),
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per throughput run (default 10)")
    parser.add_argument("--batch", type=int, default=100_000, help="transfers in the batch run")
    parser.add_argument("--full", action="store_true", help="also run transfer_many on 1,000,000 transfers")
    parser.add_argument(
        "--legs", type=int, default=1_000_000, help="postings on the account for the read test"
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved throughput rounds (median)")
    parser.add_argument("--no-hordak", action="store_true", help="skip the django-hordak peer")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="use this server")
    args = parser.parse_args()

    server = None
    url = args.database_url
    if not url:
        server = ThrowawayServer()
        url = server.start()
        log(f"throwaway PostgreSQL on port {server.port}")
    results: dict = {"machine": machine(), "args": vars(args) | {"database_url": None}}
    try:
        results["postgresql"] = server_settings(with_db(url, "postgres"))
        clients_list = (1, 8)

        log("setup: pgbench (scale 10), our ledger, django-hordak")
        bench_url = recreate_db(url, "hokwe_pgbench")
        pgbench_init(bench_url)
        ours = recreate_db(url, "hokwe_ledger_bench")
        accounts = run_child("setup", ours, {"clients": max(clients_list)})
        python = hordak_url = h_accounts = None
        if not args.no_hordak:
            python = hordak_python()
            hordak_url = recreate_db(url, "hokwe_hordak_bench")
            h_accounts = run_child(
                "setup", hordak_url, {"clients": max(clients_list)}, python, BENCH / "hordak_bench.py"
            )

        # Interleaved rounds: the machine's disk and CPU are shared, so the three systems
        # are measured side by side in each round and the medians are reported.
        rounds: list[dict] = []
        for r in range(args.rounds):
            one: dict = {"pgbench": {}, "single": {}, "hordak_single": {}}
            for c in clients_list:
                log(f"round {r + 1}/{args.rounds}, {c} client(s): pgbench, ours, hordak")
                one["pgbench"][c] = pgbench(bench_url, c, args.duration)
                one["single"][c] = run_clients(
                    _transfer_worker, lambda i: (ours, accounts, i, False), c, args.duration
                )
                if hordak_url:
                    one["hordak_single"][c] = run_child(
                        "single",
                        hordak_url,
                        {"clients": c, "duration": args.duration, "accounts": h_accounts},
                        python,
                        BENCH / "hordak_bench.py",
                    )["per_second"]
            log(f"round {r + 1}/{args.rounds}: hot account, 8 clients")
            one["hot"] = run_clients(_transfer_worker, lambda i: (ours, accounts, i, True), 8, args.duration)
            rounds.append(one)
        results["rounds"] = rounds
        for series in ("pgbench", "single", "hordak_single"):
            results[series] = {
                c: statistics.median(r[series][c] for r in rounds) for c in clients_list if rounds[0][series]
            }
        results["hot"] = statistics.median(r["hot"] for r in rounds)
        results["ratios"] = {
            "single_vs_pgbench": {
                c: statistics.median(r["single"][c] / r["pgbench"][c] for r in rounds) for c in clients_list
            },
            "hot_vs_pgbench": statistics.median(r["hot"] / r["pgbench"][8] for r in rounds),
        }
        if hordak_url:
            results["ratios"]["single_vs_hordak"] = {
                c: statistics.median(r["single"][c] / r["hordak_single"][c] for r in rounds)
                for c in clients_list
            }

        log(f"our ledger: transfer_many({args.batch:,})")
        results["batch"] = run_child("batch", ours, {"count": args.batch, "accounts": accounts})
        if args.full:
            log("our ledger: transfer_many(1,000,000)")
            results["batch_1m"] = run_child("batch", ours, {"count": 1_000_000, "accounts": accounts})
        log(f"our ledger: reads on an account with {args.legs:,} postings")
        results["reads"] = run_child("reads", ours, {"legs": args.legs, "accounts": accounts})

        if hordak_url:
            log(f"django-hordak: balance read on an account with {args.legs:,} legs")
            results["hordak_reads"] = run_child(
                "reads",
                hordak_url,
                {"legs": args.legs, "accounts": h_accounts},
                python,
                BENCH / "hordak_bench.py",
            )
    finally:
        if server is not None:
            server.stop()

    report(results)
    out = ROOT / "var" / "bench-ledger.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    log(f"results written to {out}")


def report(r: dict) -> None:
    def line(label, value, extra=""):
        print(f"  {label:<52} {value:>14} {extra}")

    m = r["machine"]
    print(f"\nMachine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Python {m['python']}")
    pg = r["postgresql"]
    print(
        f"PostgreSQL {pg.get('server_version')}: fsync={pg.get('fsync')}, "
        f"synchronous_commit={pg.get('synchronous_commit')}, shared_buffers={pg.get('shared_buffers')}\n"
    )
    print("Limit: pgbench TPC-B-like (scale 10), median of the rounds")
    for c, tps in r["pgbench"].items():
        line(f"{c} client(s)", f"{tps:,.0f} tps")
    print(
        f"\nSingle transfer (2 postings, idempotency key, balance check); median of {len(r['rounds'])} rounds"
    )
    for c, tps in r["single"].items():
        ratio = r["ratios"]["single_vs_pgbench"][c]
        line(f"{c} client(s)", f"{tps:,.0f} /s", f"{ratio:.2f}x pgbench (target >= 0.70)")
    line("hot account, 8 clients", f"{r['hot']:,.0f} /s", f"{r['ratios']['hot_vs_pgbench']:.2f}x pgbench")
    print("\nBatch: transfer_many")
    for key in ("batch", "batch_1m"):
        if key in r:
            b = r[key]
            line(
                f"{b['transfers']:,} transfers",
                f"{b['per_second']:,.0f} /s",
                f"(target >= 20,000/s) {b['seconds']:.1f} s, peak RSS {b['peak_rss_mb']:.0f} MB "
                f"(before {b['rss_before_mb']:.0f} MB)",
            )
    reads = r["reads"]
    print(f"\nReads on an account with {reads['legs']:,} postings")
    line("balance now (stored totals)", f"{reads['balance_us']:,.0f} µs")
    line("balance as of a timestamp", f"{reads['balance_as_of_us']:,.0f} µs")
    line("statement page (100 lines, keyset)", f"{reads['statement_page_us']:,.0f} µs")
    line("statement page from a date", f"{reads['statement_period_us']:,.0f} µs")
    if "hordak_single" in r:
        print("\nPeer: django-hordak 2.0 (same transfers; its balance read as the check)")
        for c, tps in r["hordak_single"].items():
            ratio = r["ratios"]["single_vs_hordak"][c]
            line(f"{c} client(s)", f"{tps:,.0f} /s", f"ours {ratio:.1f}x hordak (target >= 5x)")
        h = r["hordak_reads"]
        line(
            f"balance read, {h['legs']:,} legs",
            f"{h['balance_us'] / 1000:,.1f} ms",
            f"ours {h['balance_us'] / reads['balance_us']:,.0f}x faster (target >= 100x)",
        )


if __name__ == "__main__":
    main()
