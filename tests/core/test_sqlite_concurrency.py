"""The embedded default's SQLite under concurrent writers (issue 17): ten threads that each
read then write in one transaction all succeed, in order, none losing an update.

With SQLite's default deferred transactions two of them would both take the read lock and
then deadlock upgrading it, which SQLite answers at once with « database is locked » (the
500s an app double-tapping « j'ai payé » saw). The settings (hokwe/settings/base.py) make
every transaction BEGIN IMMEDIATE, turn WAL on and give a busy timeout.

It runs in a subprocess: the test suite itself runs on PostgreSQL, and the point is the
embedded default's own settings, with no environment but a database file."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, threading
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
    cursor.execute("INSERT INTO counter (id, n) VALUES (1, 0)")
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
connection.close()

THREADS = 10
barrier = threading.Barrier(THREADS)
errors = []

def tap():
    try:
        barrier.wait()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT n FROM counter WHERE id = 1")
                n = cursor.fetchone()[0]
                cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=tap) for _ in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM counter WHERE id = 1")
    total = cursor.fetchone()[0]
print(json.dumps({"mode": mode, "errors": errors, "total": total}))
"""


def test_concurrent_writers_wait_instead_of_failing(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "hokwe.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'embedded.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"mode": "wal", "errors": [], "total": 10}
