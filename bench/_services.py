"""Throwaway servers and database helpers shared by the benchmarks.

A bench either takes DATABASE_URL / REDIS_URL or starts its own PostgreSQL (initdb, as the
`postgres` user when run as root) and Redis in a temporary directory, removed at exit.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    sys.exit("PostgreSQL binaries not found (apt-get install postgresql) — or pass DATABASE_URL")


class Servers:
    """Throwaway PostgreSQL (initdb) and Redis in a temporary directory, removed at exit."""

    def __init__(self, prefix: str = "hokwe-bench-"):
        self.dir = Path(tempfile.mkdtemp(prefix=prefix))
        self.procs: list[subprocess.Popen] = []
        self.pg_ctl = None
        self.as_user: list[str] = []

    def start_postgres(self) -> str:
        bindir, port, data = pg_bindir(), free_port(), self.dir / "pg"
        if os.geteuid() == 0:
            if subprocess.run(["id", "-u", "postgres"], capture_output=True).returncode != 0:
                subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
            shutil.chown(self.dir, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        subprocess.run(
            [*self.as_user, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"],
            check=True,
            capture_output=True,
        )
        self.pg_ctl = [*self.as_user, str(bindir / "pg_ctl"), "-D", str(data)]
        options = f"-p {port} -k {self.dir} -c listen_addresses=127.0.0.1"
        subprocess.run(
            [*self.pg_ctl, "-o", options, "-w", "-l", str(self.dir / "pg.log"), "start"],
            check=True,
            capture_output=True,
        )
        return f"postgres://postgres@127.0.0.1:{port}/postgres"

    def start_redis(self) -> str:
        server = shutil.which("redis-server")
        if not server:
            sys.exit("redis-server not found (apt-get install redis-server) — or pass REDIS_URL")
        port = free_port()
        self.procs.append(
            subprocess.Popen(
                [server, "--port", str(port), "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL
            )
        )
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.1):
                return f"redis://127.0.0.1:{port}/0"
            time.sleep(0.05)
        sys.exit("redis-server did not start")

    def stop(self):
        for proc in self.procs:
            proc.terminate()
            proc.wait(10)
        if self.pg_ctl:
            subprocess.run([*self.pg_ctl, "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def prepare_database(server_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(with_db(server_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_db(server_url, name)


def drop_database(server_url: str, name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(with_db(server_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextlib.contextmanager
def django_bench_database(prefix: str, name: str, *, keep: bool = False):
    """A bench's start and end in one place: PostgreSQL and Redis (DATABASE_URL / REDIS_URL
    when given, else started here), a fresh database `name` on that server, Django set up on
    it (test settings, quiet logs) and migrated. On the way out the database is dropped
    (unless `keep`) and what was started is stopped."""
    servers = Servers(prefix=prefix)
    server_url = os.environ.get("DATABASE_URL") or servers.start_postgres()
    redis_url = os.environ.get("REDIS_URL") or servers.start_redis()
    os.environ["DATABASE_URL"] = prepare_database(server_url, name)
    os.environ["REDIS_URL"] = redis_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hokwe.settings.test")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        yield
    finally:
        if not keep:
            drop_database(server_url, name)
        servers.stop()
