"""The app through PgBouncer in transaction mode (docs/operations.md, "Connection pooling and
read replicas"). scripts/setup.d/32-pgbouncer.sh starts one in front of the tests' PostgreSQL
with ONE server connection per database, so every client shares it: what one client leaves in
the session, the next finds. The app runs in another process, on a copy of the migrated
template database, through the pooler, with deploy/'s settings (DB_POOLER=pgbouncer) — and
prepared statements off, as Debian's PgBouncer 1.18 does not track them (deploy/ runs
>= 1.21 with max_prepared_statements)."""

from __future__ import annotations

import json
import os
import uuid

import psycopg
import pytest

from tests.fixtures.database import template_copy
from tests.helpers import django_shell

PGBOUNCER_URL = os.environ.get("PGBOUNCER_URL", "")

pytestmark = pytest.mark.skipif(
    not PGBOUNCER_URL, reason="PGBOUNCER_URL is not set: no PgBouncer (scripts/test.sh starts one)"
)

# What the app does through the pooler: the ledger's single transfers (more than psycopg's
# prepare threshold) and a batch (COPY in a transaction), a chunked `.iterator()`, and the help
# search's typo pass (which sets pg_trgm's threshold), then what that left on the session.
APP = r"""
import json
from django.conf import settings
from django.db import connection
from apps.cms.services.help import search
from apps.ledger import api as ledger
from apps.ledger.contracts import AccountKind, Leg, OwnerType, TransferRequest
from apps.ledger.models import Account

def account(code):
    return ledger.create_account(
        code=code, name=code, currency="XOF", kind=AccountKind.ASSET, owner_type=OwnerType.SYSTEM
    ).public_id

src, dst = account("pool.src"), account("pool.dst")
for i in range(12):
    ledger.transfer(
        idempotency_key=f"pool:{i}", code="test.pool",
        legs=[Leg.debit(dst, 100, "XOF"), Leg.credit(src, 100, "XOF")],
    )
ledger.transfer_many(
    TransferRequest(
        idempotency_key=f"pool:batch:{i}", code="test.pool",
        legs=(Leg.debit(dst, 10, "XOF"), Leg.credit(src, 10, "XOF")),
    )
    for i in range(300)
)
out = {
    "server_side_cursors": not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS", False),
    "prepare_threshold": connection.connection.prepare_threshold if connection.connection else "none",
    "balance": ledger.balance(account=dst).posted,
    "iterated": sorted(a.code for a in Account.objects.filter(code__startswith="pool.").iterator(chunk_size=1)),
    "help_hits": len(search("paier loyé mensuel", locale="fr")),
}
with connection.cursor() as cursor:
    cursor.execute("SELECT current_setting('pg_trgm.word_similarity_threshold', true)")
    out["threshold_left_on_the_session"] = cursor.fetchone()[0]
out["typo_threshold"] = settings.CMS_HELP_TYPO_SIMILARITY
print("RESULT " + json.dumps(out))
"""


@pytest.fixture
def pooled_database():
    with template_copy(f"hokwe_pgbouncer_{uuid.uuid4().hex[:8]}") as name:
        yield f"{PGBOUNCER_URL}/{name}"


def test_the_pooler_really_shares_its_server_connection(pooled_database):
    """The control: a session setting one client leaves behind is what another client sees
    (what the app must never rely on, or leave)."""
    with (
        psycopg.connect(pooled_database, autocommit=True) as first,
        psycopg.connect(pooled_database, autocommit=True) as second,
    ):
        first.execute("SELECT set_config('hokwe.leak_probe', 'left behind', false)")
        (seen,) = second.execute("SELECT current_setting('hokwe.leak_probe', true)").fetchone()
    assert seen == "left behind"


def test_the_app_works_through_pgbouncer_and_leaves_nothing_on_the_session(pooled_database):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hokwe.settings.test",
        "DATABASE_URL": pooled_database,
        "DB_POOLER": "pgbouncer",
        "DB_PREPARED_STATEMENTS": "false",
    }
    result = django_shell(APP, env)
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(next(line[7:] for line in result.stdout.splitlines() if line.startswith("RESULT ")))
    assert out["server_side_cursors"] is False and out["prepare_threshold"] is None
    assert out["balance"] == 12 * 100 + 300 * 10  # every transfer posted once
    assert out["iterated"] == ["pool.dst", "pool.src"]
    assert out["help_hits"] == 0  # no article in this database: the typo pass ran and found none
    # the typo pass's threshold was its transaction's only: the shared server connection is
    # back to pg_trgm's default, not left at the help search's
    assert float(out["threshold_left_on_the_session"]) != out["typo_threshold"]
    assert float(out["threshold_left_on_the_session"]) == 0.6
