"""Lending benchmark (issue 21): the nightly delinquency run over 100,000 active loans against
a naive per-loan loop in the same run. Target: the nightly run under 30 s.

    .venv/bin/python bench/lending.py                  # full size; starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x REDIS_URL=redis://h:p/0 .venv/bin/python bench/lending.py
    .venv/bin/python bench/lending.py --scale 0.1      # 10,000 loans

With DATABASE_URL it creates (and drops) its own database `hokwe_bench_lending` on that
server. The book is built set-based (bulk inserts, `ledger.transfer_many` for the
disbursements): `--loans` × scale active loans of 60,000 FCFA over 6 monthly instalments
(declining, 24 %), the first due dates spread at random over the last 150 days and the
next 29, one loan in five late (its past lines unpaid), the others paid up to date but for
half of those whose line fell due yesterday (late from tonight); paid lines are off the
ledger: the loans' accounts hold what is still owed. Then, in one process:

  first     `nightly_run(yesterday)`: the first night, with the backlog (every past line
            billed, a late fee on every late line, every late loan told, the allowance set);
  naive     the same night's work for `--naive` more loans, loan by loan (one transaction
            each: `accounting.bill_loan`, the oldest unpaid line, one `ledger.transfer` per late
            fee, one `publish` and one `notifications.send` per late loan), run first on its
            own loans; its per-loan rate extrapolated to the book, stated as such;
  nightly   `nightly_run(today)` over the whole book (the naive loans already done): what a
            normal night does (today's lines billed, every late loan one day older, the late
            fees and the bucket moves of the day, the allowance);
  rerun     the same night again: nothing moves twice.

Results are printed and written to var/bench-lending.json (docs/performance.md, "Lending").
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

BENCH_DB = "hokwe_bench_lending"
CURRENCY = "XOF"
PRINCIPAL = 60_000
TERM = 6


def main() -> int:
    from _services import Servers, drop_database, prepare_database

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--loans", type=int, default=100_000, help="active loans in the book")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of --loans")
    parser.add_argument("--naive", type=int, default=1_000, help="loans through the per-loan loop")
    args = parser.parse_args()

    servers = Servers(prefix="hokwe-bench-lending-")
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


# --- the book -----------------------------------------------------------------------------


class Book:
    """Active loans built set-based. `phones` and `numbers` go on across calls."""

    serial = 0

    def __init__(self, today: date):
        self.today = today
        self._schedules: dict[date, tuple] = {}
        self._random = random.Random(21)

    def product(self):
        from apps.lending.models import LoanProduct

        product, _ = LoanProduct.objects.get_or_create(
            code="bench-pret",
            defaults={
                "name": "Prêt banc d'essai",
                "borrower_kind": "tenant",
                "destination": "wallet",
                "currency": CURRENCY,
                "min_amount": 10_000,
                "max_amount": 1_000_000,
                "min_term": 1,
                "max_term": 12,
                "frequency": "monthly",
                "interest_method": "declining",
                "amortization": "equal_instalments",
                "annual_rate_bps": 2_400,
                "late_fee_fixed": 500,
                "late_fee_bps": 100,
                "late_fee_after_days": 3,
            },
        )
        return product

    def schedule(self, first_due: date):
        from apps.lending.services.schedule import build

        if first_due not in self._schedules:
            self._schedules[first_due] = build(
                principal=PRINCIPAL,
                currency=CURRENCY,
                annual_rate_bps=2_400,
                term=TERM,
                frequency="monthly",
                interest_method="declining",
                amortization="equal_instalments",
                first_due_date=first_due,
            ).lines
        return self._schedules[first_due]

    def loans(self, n: int, *, chunk: int = 5_000) -> list[int]:
        """`n` active loans; returns their ids."""
        from apps.identity.models import User
        from apps.ledger import api as ledger
        from apps.ledger.contracts import Leg, TransferRequest
        from apps.ledger.models import Account
        from apps.lending.models import Instalment, Loan
        from apps.lending.services import accounts

        product = self.product()
        funding = accounts.system("lending.funding", CURRENCY)
        ids: list[int] = []
        for n0 in range(0, n, chunk):
            first = Book.serial
            size = min(chunk, n - n0)
            Book.serial += size
            users = User.objects.bulk_create(
                [
                    User(
                        phone=f"+22902{70_000_000 + first + i:08d}",
                        full_name=f"Emprunteur {first + i}",
                        password="!",
                    )
                    for i in range(size)
                ]
            )
            pids = [uuid.uuid4() for _ in range(size)]
            accs = Account.objects.bulk_create(
                [
                    Account(
                        code=f"{accounts.LOAN_PREFIX}{pid}",
                        name=f"Loan {pid}",
                        currency=CURRENCY,
                        kind="asset",
                        owner_type="system",
                        credits_must_not_exceed_debits=True,
                    )
                    for pid in pids
                ],
                batch_size=5_000,
            )
            rows, lines, owed = [], [], []
            for i, (user, pid, acc) in enumerate(zip(users, pids, accs, strict=True)):
                k = first + i
                late = self._random.random() < 0.2
                skipped_yesterday = self._random.random() < 0.5  # late from tonight
                first_due = self.today + timedelta(days=self._random.randrange(-150, 30))
                sched = self.schedule(first_due)
                paid_principal = 0
                plan = []
                yesterday = self.today - timedelta(days=1)
                for line in sched:
                    paid = not late and (
                        line.due_date < yesterday or (line.due_date == yesterday and not skipped_yesterday)
                    )
                    if paid:
                        paid_principal += line.principal
                    plan.append((line, paid))
                remaining = PRINCIPAL - paid_principal
                if remaining <= 0:  # every line paid: not an active loan
                    plan[-1] = (plan[-1][0], False)
                    remaining = plan[-1][0].principal
                owed.append(remaining)
                rows.append(
                    Loan(
                        public_id=pid,
                        number=f"PRT-BENCH-{k:07d}",
                        product=product,
                        borrower=user,
                        borrower_kind="tenant",
                        status="active",
                        single_open=False,
                        currency=CURRENCY,
                        principal=PRINCIPAL,
                        term=TERM,
                        frequency="monthly",
                        interest_method="declining",
                        amortization="equal_instalments",
                        annual_rate_bps=2_400,
                        first_due_date=first_due,
                        destination="wallet",
                        disbursed_on=first_due - timedelta(days=30),
                        account=acc.public_id,
                        principal_outstanding=remaining,
                    )
                )
                lines.append(plan)
            loans = Loan.objects.bulk_create(rows, batch_size=5_000)
            Instalment.objects.bulk_create(
                [
                    Instalment(
                        loan=loan,
                        number=line.number,
                        due_date=line.due_date,
                        principal=line.principal,
                        interest=line.interest,
                        fee=line.fee,
                        status="paid" if paid else "pending",
                        paid_principal=line.principal if paid else 0,
                        paid_interest=line.interest if paid else 0,
                        paid_on=line.due_date if paid else None,
                    )
                    for loan, plan in zip(loans, lines, strict=True)
                    for line, paid in plan
                ],
                batch_size=10_000,
            )
            ledger.transfer_many(
                TransferRequest(
                    idempotency_key=f"bench:lending:disburse:{loan.public_id}",
                    code="lending_disbursement",
                    legs=(Leg.debit(loan.account, amount, CURRENCY), Leg.credit(funding, amount, CURRENCY)),
                )
                for loan, amount in zip(loans, owed, strict=True)
            )
            ids += [loan.pk for loan in loans]
        return ids


# --- the naive loop -----------------------------------------------------------------------


def naive_night(loan_ids: list[int], today: date) -> dict:
    """The nightly work loan by loan, one transaction each, the same keys as the set-based run
    (so that run finds them done)."""
    from django.db import transaction

    from apps.core.outbox import publish
    from apps.ledger import api as ledger
    from apps.ledger.contracts import Leg
    from apps.lending.events import InstalmentLate
    from apps.lending.models import Loan
    from apps.lending.services import accounts
    from apps.lending.services.accounting import bill_loan
    from apps.lending.services.delinquency import LATE_TEMPLATE, RANK, bucket_for
    from apps.notifications import api as notifications

    income = accounts.system("lending.penalty_income", CURRENCY)
    fees = told = 0
    for loan_id in loan_ids:
        with transaction.atomic():
            loan = Loan.objects.select_for_update().select_related("product", "borrower").get(pk=loan_id)
            bill_loan(loan, today)
            loan.refresh_from_db()
            unpaid = list(
                loan.instalments.filter(superseded=False, status__in=["pending", "partly_paid"]).order_by(
                    "due_date", "number"
                )
            )
            overdue = [i for i in unpaid if i.due_date < today]
            dpd = (today - overdue[0].due_date).days if overdue else 0
            bucket = bucket_for(dpd).value
            product = loan.product
            for line in unpaid:
                if line.penalty or line.due_date + timedelta(days=product.late_fee_after_days) > today:
                    continue
                fee = (
                    product.late_fee_fixed
                    + (line.principal + line.interest + line.fee) * product.late_fee_bps // 10_000
                )
                if fee <= 0:
                    continue
                ledger.transfer(
                    idempotency_key=f"lending.late_fee:{line.public_id}",
                    code="lending_late_fee",
                    legs=[Leg.debit(loan.account, fee, CURRENCY), Leg.credit(income, fee, CURRENCY)],
                    reference=f"lending.Instalment:{line.public_id}",
                )
                line.penalty = fee
                line.save(update_fields=["penalty"])
                loan.fees_outstanding += fee
                fees += 1
            worse = (loan.days_past_due == 0 and dpd > 0) or RANK[bucket] > RANK[loan.bucket]
            loan.days_past_due, loan.bucket = dpd, bucket
            loan.save(update_fields=["days_past_due", "bucket", "fees_outstanding"])
            if worse and overdue:
                owed = sum(i.owed for i in overdue)
                publish(
                    InstalmentLate(
                        loan=str(loan.public_id),
                        borrower=str(loan.borrower.public_id),
                        number=overdue[0].number,
                        due_date=overdue[0].due_date.isoformat(),
                        days_late=dpd,
                        bucket=bucket,
                        amount_due=owed,
                        currency=CURRENCY,
                    )
                )
                notifications.send(
                    loan.borrower.public_id,
                    LATE_TEMPLATE,
                    {
                        "loan_number": loan.number,
                        "amount": {"amount": owed, "currency": CURRENCY},
                        "days_late": dpd,
                        "due_date": overdue[0].due_date.isoformat(),
                    },
                    idempotency_key=f"lending.late:{overdue[0].public_id}:{bucket}",
                )
                told += 1
    return {"loans": len(loan_ids), "late_fees": fees, "told": told}


# --- the run ------------------------------------------------------------------------------


def _night(result) -> dict:
    return {
        "seconds": result.seconds,
        "total_s": round(sum(result.seconds.values()), 2),
        "billed": getattr(result.billed, "__dict__", None) or str(result.billed),
        "aged": result.aged,
        "late_events": result.late_events,
        "late_fees": result.late_fees,
        "reminders": result.reminders,
        "handed_over": result.handed_over,
        "provisions": {k: list(v) for k, v in result.provisions.items()},
    }


def measure(n: int, naive: int, today: date) -> dict:
    """Build the book and time the nights (also the smoke test's entry, small `n`)."""
    from apps.lending.services.delinquency import nightly_run
    from apps.lending.services.reports import par_report

    book = Book(today)
    t0 = time.perf_counter()
    book.loans(n)
    naive_ids = book.loans(naive) if naive else []
    built = time.perf_counter() - t0
    out: dict = {"loans": n, "naive_loans": naive, "build_s": round(built, 1)}

    out["first"] = _night(nightly_run(today=today - timedelta(days=1)))

    t0 = time.perf_counter()
    counts = naive_night(naive_ids, today)
    naive_s = time.perf_counter() - t0
    per_loan = naive_s / max(naive, 1)
    out["naive"] = {
        **counts,
        "seconds": round(naive_s, 2),
        "ms_per_loan": round(per_loan * 1000, 2),
        "extrapolated_s_for_book": round(per_loan * n, 1),
    }

    nightly = nightly_run(today=today)
    out["nightly"] = _night(nightly)
    total = sum(nightly.seconds.values())
    out["nightly"]["ms_per_loan"] = round(total / max(n + naive, 1) * 1000, 4)
    out["ratio_naive_over_nightly"] = round(per_loan * n / total, 1) if total else None

    out["rerun"] = _night(nightly_run(today=today))
    t0 = time.perf_counter()
    reports = par_report(today=today)
    out["par_report"] = {
        "seconds": round(time.perf_counter() - t0, 2),
        "agrees": all(r.agrees for r in reports),
        "par30_bps": {r.currency: r.par30_bps for r in reports},
        "par90_bps": {r.currency: r.par90_bps for r in reports},
    }
    return out


def run(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from hokwe.celery import app

    call_command("migrate", verbosity=0)
    settings.CELERY_TASK_ALWAYS_EAGER = False  # events and messages are queued on Redis, not run here
    app.conf.task_always_eager = False
    with contextlib.suppress(Exception):
        app.connection_for_write().default_channel.client.flushdb()

    from _services import peak_rss_mib

    today = timezone.localdate()
    n = int(args.loans * args.scale)
    report: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "today": today.isoformat(),
        "scale": args.scale,
    }
    report.update(measure(n, args.naive, today))
    report["peak_rss_mib"] = round(peak_rss_mib(), 1)
    print(json.dumps(report, indent=2, default=str), flush=True)
    out = ROOT / "var" / "bench-lending.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"written to {out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
