"""The django-hordak 2.x side of bench/ledger.py, run with the bench-only virtualenv.

    var/bench-hordak-venv/bin/python bench/hordak_bench.py --child PHASE URL JSON

The same work as ours: a transfer of 2 legs with a unique key (hordak's Transaction.uuid,
derived from the key) after a balance check of the source, under a row lock, using
hordak's own balance read (Account.get_balance(): a SUM over the account's legs).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import random
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
DESTINATIONS = 1000


def setup_django(url: str) -> None:
    parts = urlsplit(url)
    os.environ.update(
        BENCH_DB_NAME=parts.path.lstrip("/"),
        BENCH_DB_USER=parts.username or "postgres",
        BENCH_DB_HOST=parts.hostname,
        BENCH_DB_PORT=str(parts.port or 5432),
        DJANGO_SETTINGS_MODULE="hordak_settings",
    )
    sys.path.insert(0, str(BENCH))
    import django

    django.setup()


def phase_setup(clients: int) -> dict:
    from django.core.management import call_command
    from djmoney.money import Money
    from hordak.models import Account

    call_command("migrate", verbosity=0)
    equity = Account.objects.create(name="Equity", type="EQ", currencies=["EUR"], code="E")
    sources = [
        Account.objects.create(name=f"Source {i}", type="AS", currencies=["EUR"], code=f"S{i}")
        for i in range(clients)
    ]
    merchant = Account.objects.create(name="Merchant", type="AS", currencies=["EUR"], code="M")
    destinations = [
        Account.objects.create(name=f"Dest {i}", type="AS", currencies=["EUR"], code=f"D{i}")
        for i in range(DESTINATIONS)
    ]
    big = Account.objects.create(name="Big", type="AS", currencies=["EUR"], code="B")
    for account in [*sources, merchant]:
        # equity is credited, the asset debited: the asset's balance grows
        equity.transfer_to(account, Money(10**9, "EUR"))
    return {
        "sources": [a.pk for a in sources],
        "merchant": merchant.pk,
        "destinations": [a.pk for a in destinations],
        "big": big.pk,
        "equity": equity.pk,
    }


def _transfer(source_id: int, destination, amount: int, key: str) -> None:
    from django.db import transaction
    from djmoney.money import Money
    from hordak.models import Account

    with transaction.atomic():
        source = Account.objects.select_for_update().get(pk=source_id)
        available = source.get_balance()["EUR"].amount
        if available < Decimal(amount):
            raise ValueError("insufficient funds")
        source.transfer_to(destination, Money(amount, "EUR"), uuid=uuid.uuid5(uuid.NAMESPACE_URL, key))


def _worker(url, accounts, index, barrier, deadline_box, results):
    setup_django(url)
    from django.db import connection
    from hordak.models import Account

    destinations = list(Account.objects.filter(pk__in=accounts["destinations"]))
    source = accounts["sources"][index]
    rng = random.Random(index)
    run = f"h-{os.getpid()}-{time.time_ns()}"
    barrier.wait()
    deadline = time.monotonic() + deadline_box.value
    count = 0
    while time.monotonic() < deadline:
        _transfer(source, rng.choice(destinations), rng.randint(1, 100), f"{run}-{count}")
        count += 1
    connection.close()
    results.put(count)


def phase_single(url: str, clients: int, duration: int, accounts: dict) -> dict:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(clients + 1)
    seconds = ctx.Value("d", float(duration))
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(url, accounts, i, barrier, seconds, results))
        for i in range(clients)
    ]
    for p in procs:
        p.start()
    barrier.wait(timeout=300)
    total = sum(results.get(timeout=duration + 300) for _ in procs)
    for p in procs:
        p.join()
    return {"per_second": total / duration}


def phase_reads(legs: int, accounts: dict) -> dict:
    """Bulk-load `legs` transactions onto one account (COPY, triggers off for the load:
    the data is balanced by construction), then time hordak's balance read."""
    from django.db import connection
    from hordak.models import Account

    big = Account.objects.get(pk=accounts["big"])
    others = accounts["destinations"]
    rng = random.Random(3)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM hordak_transaction")
        base = cursor.fetchone()[0]
        raw = cursor.cursor
        with raw.copy("COPY hordak_transaction (id, uuid, timestamp, date, description) FROM STDIN") as copy:
            for i in range(1, legs + 1):
                copy.write_row((base + i, uuid.uuid4(), "2026-01-01T00:00:00Z", "2026-01-01", ""))
        with raw.copy(
            "COPY hordak_leg (uuid, transaction_id, account_id, debit, credit, currency, description) FROM STDIN"
        ) as copy:
            for i in range(1, legs + 1):
                amount = rng.randint(1, 10_000)
                copy.write_row((uuid.uuid4(), base + i, big.pk, amount, None, "EUR", ""))
                copy.write_row((uuid.uuid4(), base + i, rng.choice(others), None, amount, "EUR", ""))
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('hordak_transaction', 'id'), {base + legs})")
        cursor.execute("ANALYZE hordak_leg")
        cursor.execute("ANALYZE hordak_transaction")
    load = time.perf_counter() - start
    big.get_balance()
    runs = 5
    t0 = time.perf_counter()
    for _ in range(runs):
        big.get_balance()
    return {"legs": legs, "load_seconds": load, "balance_us": (time.perf_counter() - t0) / runs * 1e6}


def main() -> None:
    if sys.argv[1] != "--child":
        raise SystemExit(__doc__)
    phase, url, payload = sys.argv[2:5]
    payload = json.loads(payload)
    setup_django(url)
    if phase == "setup":
        out = phase_setup(payload["clients"])
    elif phase == "single":
        out = phase_single(url, payload["clients"], payload["duration"], payload["accounts"])
    elif phase == "reads":
        out = phase_reads(payload["legs"], payload["accounts"])
    else:
        raise SystemExit(f"unknown phase {phase}")
    print("RESULT " + json.dumps(out))


if __name__ == "__main__":
    main()
