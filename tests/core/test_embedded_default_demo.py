"""The run command's steps on the embedded default (scripts/run.sh): with no environment but
a SQLite file, `migrate` then `seed_demo` succeed, and the demo reads back. The suite itself
runs on PostgreSQL, where a PostgreSQL-only statement (a `::bigint` cast, `unnest`) passes
unseen; here it would fail the seed, as the README's first command would."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = r"""
import django
django.setup()
from apps.billing.models import Invoice
from apps.estate.models import Lease
print(Lease.objects.count(), Invoice.objects.filter(number__startswith="FA-BJ-").count())
"""


def test_migrate_and_seed_demo_on_sqlite(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "hokwe.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'embedded.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }

    def run(*args):
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, (done.stdout[-1500:], done.stderr[-3000:])
        return done.stdout

    run("manage.py", "migrate", "--no-input", "-v0")
    run("manage.py", "seed_demo", "--no-progress", "--quiet-logins")
    leases, invoices = map(int, run("-c", CHECK).split())
    assert leases > 0 and invoices > 0
