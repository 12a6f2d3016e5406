"""HokweWallet benchmark (issue 19): the daily runs and P2P throughput.

    .venv/bin/python bench/wallet.py                  # full size; starts its own PostgreSQL + Redis
    DATABASE_URL=postgres://u@h:p/x REDIS_URL=redis://h:p/0 .venv/bin/python bench/wallet.py
    .venv/bin/python bench/wallet.py --scale 0.1      # 10,000 auto-debits, 1,000 groups

With DATABASE_URL it creates (and drops) its own database `hokwe_bench_wallet` on that server.
The data is built set-based (bulk inserts, ledger.transfer_many for the money), then, in one
process:

  (a) daily    HokweSplit's daily run `services.split_schedule.run_due_debits(today)` over
               100,000 wallet-funded instalments due today (--scale), plus Cotis'Hokwe's
               `services.tontine_rounds.close_due_rounds(today)` over 10,000 groups of three
               whose first round is due and closes today (two auto-debits, the pot paid to the
               beneficiary's wallet, their guarantee taken); target: both under 60 s.
      naive    the same work item by item on another set of plans/groups of the same run
               (--naive-plans instalments through `split.instalment_collect`, one
               transaction each; --naive-groups groups through one `wallets.move` per
               contribution and one for the pot): per-item rates extrapolated to the full
               size, stated as such; ratio = daily items/s ÷ naive items/s.
      rerun    the same day again: nothing moves twice (0 debited).
  (b) p2p      --p2p transfers (preview + confirm, `services.p2p`, below the step-up) against
               the ledger's single-transfer rate (`ledger.transfer`, one wallet to another,
               --p2p transfers) in the same run, the two loops alternating in 5 rounds; the
               unit is a confirmed transfer as the API makes it (preview THEN confirm, both
               timed; the confirmations' own rate is given too); target: p2p ≥ 0.7 × ledger.

Results are printed and written to var/bench-wallet.json (docs/performance.md, "HokweWallet").
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from _services import Servers, drop_database, peak_rss_mib, prepare_database  # noqa: E402

BENCH_DB = "hokwe_bench_wallet"
CURRENCY = "XOF"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of 100,000 plans / 10,000 groups")
    parser.add_argument(
        "--naive-plans", type=int, default=1_000, help="instalments through the per-item loop"
    )
    parser.add_argument("--naive-groups", type=int, default=200, help="groups through the per-item loop")
    parser.add_argument("--p2p", type=int, default=500, help="P2P transfers (and as many ledger transfers)")
    parser.add_argument(
        "--short-every",
        type=int,
        default=0,
        help="one tontine group in N has a member with an empty wallet (0: everyone pays)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the daily run's two parts and 100 more P2P transfers (var/bench-wallet-<part>.prof, "
        "top lines printed)",
    )
    args = parser.parse_args()

    servers = Servers(prefix="hokwe-bench-wallet-")
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


# --- data ---------------------------------------------------------------------------------


class World:
    """Users with funded XOF wallets, built set-based: the ledger accounts and Wallet rows in
    bulk, the money by one ledger.transfer_many from the sandbox clearing account."""

    phones = 0  # every user of the run gets the next number

    def users(self, n: int, funds: int, chunk: int = 5_000, empty=frozenset()):
        from apps.identity.models import User
        from apps.ledger import api as ledger
        from apps.ledger.contracts import Leg, TransferRequest
        from apps.ledger.models import Account
        from apps.wallet.models import Wallet

        clearing = ledger.system_account(code="provider_clearing.sandbox", currency=CURRENCY).public_id
        out = []
        first = World.phones
        World.phones += n
        for n0 in range(0, n, chunk):
            n1 = min(n, n0 + chunk)
            users = User.objects.bulk_create(
                [
                    User(phone=f"+22901{60_000_000 + first + i:08d}", full_name=f"Membre {i}", password="!")
                    for i in range(n0, n1)
                ]
            )
            accounts = Account.objects.bulk_create(
                [
                    Account(
                        code="wallet",
                        name="Wallet",
                        currency=CURRENCY,
                        kind="liability",
                        owner_type="user",
                        owner_user=u,
                        debits_must_not_exceed_credits=True,
                    )
                    for u in users
                ]
            )
            wallets = Wallet.objects.bulk_create(
                [
                    Wallet(user=u, currency=CURRENCY, account=a.public_id)
                    for u, a in zip(users, accounts, strict=True)
                ]
            )
            ledger.transfer_many(
                TransferRequest(
                    idempotency_key=f"bench:fund:{w.public_id}",
                    code="wallet_top_up",
                    legs=(Leg.debit(clearing, funds, CURRENCY), Leg.credit(w.account, funds, CURRENCY)),
                )
                for i, w in enumerate(wallets, start=n0)
                if i not in empty
            )
            for w, u in zip(wallets, users, strict=True):
                w.user = u
            out += wallets
        return out

    @staticmethod
    def system_accounts(codes: list[str], *, owners=None):
        from apps.ledger.models import Account

        return Account.objects.bulk_create(
            [
                Account(
                    code=code,
                    name=code[:200],
                    currency=CURRENCY,
                    kind="liability",
                    owner_type="user" if owners else "system",
                    owner_user=owners[i] if owners else None,
                    debits_must_not_exceed_credits=True,
                )
                for i, code in enumerate(codes)
            ],
            batch_size=5_000,
        )

    def split_plans(self, n: int, today, chunk: int = 5_000) -> list:
        """`n` active wallet-funded plans, each with one 1,000 FCFA instalment due today."""
        from apps.wallet.models import SplitInstalment, SplitPlan

        wallets = self.users(n, funds=10_000)
        plans = []
        for n0 in range(0, n, chunk):
            part = wallets[n0 : n0 + chunk]
            ids = [uuid.uuid4() for _ in part]
            vaults = self.system_accounts([f"wallet.vault.{i}" for i in ids], owners=[w.user for w in part])
            rows = SplitPlan.objects.bulk_create(
                [
                    SplitPlan(
                        public_id=pid,
                        user=w.user,
                        wallet=w,
                        lease=uuid.uuid4(),
                        due=uuid.uuid4(),
                        due_date=today + timedelta(days=30),
                        target=30_000,
                        currency=CURRENCY,
                        frequency="daily",
                        vault=v.public_id,
                    )
                    for pid, w, v in zip(ids, part, vaults, strict=True)
                ]
            )
            SplitInstalment.objects.bulk_create(
                [SplitInstalment(plan=p, seq=1, on=today, amount=1_000) for p in rows], batch_size=chunk
            )
            plans += rows
        return plans

    def tontine_groups(self, n: int, today, chunk: int = 2_000, short_every: int = 0) -> list:
        """`n` active groups of three (fixed order, 5,000 FCFA a month, no grace): round 1 is
        due and closes today; rounds 2 and 3 follow monthly. `short_every` k > 0: in one group
        of k, the second member's wallet is empty (refused, late and defaulted in the run)."""
        from apps.wallet.models import (
            TontineContribution,
            TontineGroup,
            TontineMember,
            TontineRound,
        )

        empty = frozenset(3 * g + 1 for g in range(0, n, short_every)) if short_every else frozenset()
        wallets = self.users(3 * n, funds=20_000, empty=empty)
        groups = []
        for g0 in range(0, n, chunk):
            g1 = min(n, g0 + chunk)
            ids = [uuid.uuid4() for _ in range(g0, g1)]
            pots = self.system_accounts([f"wallet.pot.{i}" for i in ids])
            rows = TontineGroup.objects.bulk_create(
                [
                    TontineGroup(
                        public_id=gid,
                        name=f"Tontine {g}",
                        organiser=wallets[3 * g].user,
                        currency=CURRENCY,
                        contribution=5_000,
                        frequency="monthly",
                        start_date=today,
                        max_members=3,
                        order_method="fixed",
                        grace_days=0,
                        rules_digest="bench",
                        seed="bench",
                        seed_hash="bench",
                        seed_revealed=True,
                        pot_account=pot.public_id,
                        status="active",
                    )
                    for g, gid, pot in zip(range(g0, g1), ids, pots, strict=True)
                ]
            )
            members = TontineMember.objects.bulk_create(
                [
                    TontineMember(
                        group=grp,
                        user=wallets[3 * g + k].user,
                        phone=str(wallets[3 * g + k].user.phone),
                        status="active",
                        position=k + 1,
                        accepted_rules="bench",
                    )
                    for g, grp in zip(range(g0, g1), rows, strict=True)
                    for k in range(3)
                ]
            )
            rounds = TontineRound.objects.bulk_create(
                [
                    TontineRound(
                        group=grp,
                        number=k + 1,
                        due_date=today + timedelta(days=30 * k),
                        close_date=today + timedelta(days=30 * k),
                        beneficiary=members[3 * i + k],
                    )
                    for i, grp in enumerate(rows)
                    for k in range(3)
                ]
            )
            TontineContribution.objects.bulk_create(
                [
                    TontineContribution(round=rnd, member=members[3 * (j // 3) + k], amount=5_000)
                    for j, rnd in enumerate(rounds)
                    for k in range(3)
                ],
                batch_size=chunk,
            )
            groups += rows
        return groups


# --- the runs -----------------------------------------------------------------------------


def _timed(func):
    started = time.perf_counter()
    value = func()
    return value, time.perf_counter() - started


def _profiled(args, name: str, func):
    """`func()`, under cProfile with --profile (its stats in var/bench-wallet-<name>.prof)."""
    if not args.profile:
        return func()
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    value = profiler.runcall(func)
    out = ROOT / "var" / f"bench-wallet-{name}.prof"
    out.parent.mkdir(exist_ok=True)
    profiler.dump_stats(out)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return value


def daily(args, today) -> dict:
    from apps.wallet.services import split_schedule, tontine_rounds

    n_plans = max(1, round(100_000 * args.scale))
    n_groups = max(1, round(10_000 * args.scale))
    out: dict = {"plans": n_plans, "groups": n_groups}

    print(f"building {n_plans:,} HokweSplit plans and {n_groups:,} tontine groups …", flush=True)
    world = World()
    _, out["build_split_seconds"] = _timed(lambda: world.split_plans(n_plans, today))
    _, out["build_tontine_seconds"] = _timed(
        lambda: world.tontine_groups(n_groups, today, short_every=args.short_every)
    )
    out["short_members"] = len(range(0, n_groups, args.short_every)) if args.short_every else 0
    naive_world = World()
    naive_plans = naive_world.split_plans(args.naive_plans, today)
    naive_groups = naive_world.tontine_groups(args.naive_groups, today)
    # the naive sets are other rows of the same tables: the daily run must not take them
    from apps.wallet.models import SplitPlan, TontineGroup

    SplitPlan.objects.filter(pk__in=[p.pk for p in naive_plans]).update(status="paused")
    TontineGroup.objects.filter(pk__in=[g.pk for g in naive_groups]).update(status="forming")

    print("split daily run …", flush=True)
    cpu = time.process_time()
    split_result, split_s = _timed(
        lambda: _profiled(args, "split", lambda: split_schedule.run_due_debits(today))
    )
    split_cpu, cpu = time.process_time() - cpu, time.process_time()
    print("tontine round close …", flush=True)
    tontine_result, tontine_s = _timed(
        lambda: _profiled(args, "tontine", lambda: tontine_rounds.close_due_rounds(today))
    )
    tontine_cpu = time.process_time() - cpu
    # this process's own CPU time (the database server's is not in it): on a shared machine
    # the wall time follows the load, the CPU time follows the code
    out["daily_cpu_seconds"] = {"split": round(split_cpu, 2), "tontine": round(tontine_cpu, 2)}
    out["load_average"] = [round(x, 1) for x in os.getloadavg()]
    out["split"] = {
        "seconds": round(split_s, 2),
        "per_second": round(n_plans / split_s, 1),
        **split_result.as_dict(),
    }
    out["tontine"] = {
        "seconds": round(tontine_s, 2),
        "groups_per_second": round(n_groups / tontine_s, 1),
        **{k: v for k, v in tontine_result.as_dict().items() if k != "today"},
    }
    out["daily_seconds"] = round(split_s + tontine_s, 2)
    out["daily_seconds_at_full_size"] = round((split_s + tontine_s) / args.scale, 1)
    out["target_60s_met"] = out["daily_seconds_at_full_size"] < 60

    rerun_split, _ = _timed(lambda: split_schedule.run_due_debits(today))
    rerun_tontine, _ = _timed(lambda: tontine_rounds.close_due_rounds(today))
    out["rerun_same_day"] = {"split_debited": rerun_split.debited, "tontine_debited": rerun_tontine.debited}

    print("naive loops …", flush=True)
    out["naive"] = naive(naive_plans, naive_groups, today)
    split_naive_s = out["naive"]["split_seconds_per_item"] * n_plans
    tontine_naive_s = out["naive"]["tontine_seconds_per_group"] * n_groups
    out["naive"]["extrapolated_daily_seconds"] = round(split_naive_s + tontine_naive_s, 1)
    out["ratio_split"] = round(split_naive_s / split_s, 2)
    out["ratio_tontine"] = round(tontine_naive_s / tontine_s, 2)
    out["ratio_daily"] = round((split_naive_s + tontine_naive_s) / (split_s + tontine_s), 2)
    return out


def naive(plans, groups, today) -> dict:
    """Item by item: each instalment through split.instalment_collect (one transaction, one
    ledger transfer); each group's round as one wallets.move per contribution, then one for
    the pot, with the rows saved one by one."""
    from django.db import transaction
    from django.utils import timezone

    from apps.wallet.models import SplitInstalment, SplitPlan, TontineContribution, TontineRound, Wallet
    from apps.wallet.services import split, wallets

    SplitPlan.objects.filter(pk__in=[p.pk for p in plans]).update(status="active")
    rows = list(
        SplitInstalment.objects.filter(plan__in=plans).select_related("plan", "plan__wallet", "plan__user")
    )
    started = time.perf_counter()
    ok = sum(1 for row in rows if split.instalment_collect(instalment=row, today=today))
    split_s = time.perf_counter() - started

    started = time.perf_counter()
    for group in groups:
        rnd = TontineRound.objects.select_related("beneficiary").get(group=group, number=1)
        for row in TontineContribution.objects.filter(round=rnd).select_related("member"):
            wallet = Wallet.objects.select_related("user").get(user_id=row.member.user_id, currency=CURRENCY)
            with transaction.atomic():
                wallets.move(
                    idempotency_key=f"bench:naive:tontine:{row.public_id}",
                    code="wallet_tontine_contribution",
                    debit=wallet.account,
                    credit=group.pot_account,
                    amount=row.amount,
                    currency=CURRENCY,
                    out_of=wallet,
                    kyc_operation="wallet_payment",
                )
                row.status, row.method, row.paid_at = "paid", "auto", timezone.now()
                row.save(update_fields=["status", "method", "paid_at", "updated_at"])
        beneficiary = Wallet.objects.select_related("user").get(
            user_id=rnd.beneficiary.user_id, currency=CURRENCY
        )
        with transaction.atomic():
            wallets.move(
                idempotency_key=f"bench:naive:pot:{rnd.public_id}",
                code="wallet_tontine_pot",
                debit=group.pot_account,
                credit=beneficiary.account,
                amount=3 * group.contribution,
                currency=CURRENCY,
                into=beneficiary,
            )
            rnd.status, rnd.paid_out, rnd.paid_at = "paid", 3 * group.contribution, timezone.now()
            rnd.save(update_fields=["status", "paid_out", "paid_at", "updated_at"])
    tontine_s = time.perf_counter() - started
    return {
        "split_items": len(rows),
        "split_debited": ok,
        "split_seconds": round(split_s, 2),
        "split_seconds_per_item": split_s / max(1, len(rows)),
        "groups": len(groups),
        "tontine_seconds": round(tontine_s, 2),
        "tontine_seconds_per_group": tontine_s / max(1, len(groups)),
    }


def p2p(args) -> dict:
    """P2P transfers/s against ledger.transfer's single-transfer rate, in the same run.

    The unit is a transfer confirmed as the API does it: `p2p_preview` (the receiver's masked
    name, every refusal known before) THEN `p2p_confirm` — two calls, both timed; the rate of
    the confirmations alone is given too. The two loops alternate in rounds (ledger, P2P,
    ledger, P2P …) so that both see the same load of the shared machine. The queries of one
    preview and one confirmation are counted (CaptureQueriesContext) outside the timing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.ledger import api as ledger
    from apps.ledger.contracts import Leg
    from apps.wallet.services import p2p as p2p_services

    n = args.p2p
    senders = World().users(50, funds=100_000)
    receivers = World().users(50, funds=1)
    pairs = [(senders[i % 50], receivers[(i * 7) % 50]) for i in range(n)]
    rounds = 5
    ledger_s = preview_s = confirm_s = 0.0
    refused = 0

    def one_p2p(i, sender, receiver) -> None:
        nonlocal preview_s, confirm_s, refused
        try:
            started = time.perf_counter()
            preview = p2p_services.p2p_preview(
                actor=sender.user, phone=str(receiver.user.phone), amount=100, currency=CURRENCY
            )
            between = time.perf_counter()
            p2p_services.p2p_confirm(
                actor=sender.user, preview_token=preview.token, idempotency_key=f"bench:p2p:{i}"
            )
            ended = time.perf_counter()
            preview_s += between - started
            confirm_s += ended - between
        except Exception as exc:
            refused += 1
            if refused == 1:
                print(f"p2p refused: {exc!r}", flush=True)

    for r in range(rounds):
        part = range(r * n // rounds, (r + 1) * n // rounds)
        started = time.perf_counter()
        for i in part:
            sender, receiver = pairs[i]
            ledger.transfer(
                idempotency_key=f"bench:ledger:{i}",
                code="wallet.p2p",
                legs=[Leg.debit(sender.account, 100, CURRENCY), Leg.credit(receiver.account, 100, CURRENCY)],
            )
        ledger_s += time.perf_counter() - started
        for i in part:
            one_p2p(i, *pairs[i])

    # one more transfer, counted (not timed): the round trips of each call
    sender, receiver = senders[0], receivers[1]
    with CaptureQueriesContext(connection) as previewed:
        preview = p2p_services.p2p_preview(
            actor=sender.user, phone=str(receiver.user.phone), amount=100, currency=CURRENCY
        )
    with CaptureQueriesContext(connection) as confirmed:
        p2p_services.p2p_confirm(
            actor=sender.user, preview_token=preview.token, idempotency_key="bench:p2p:q"
        )
    p2p_s = preview_s + confirm_s
    figures = {
        "unit": "a confirmed transfer = p2p_preview + p2p_confirm (both API calls, both timed)",
        "transfers": n,
        "refused": refused,
        "ledger_per_second": round(n / ledger_s, 1),
        "p2p_per_second": round(n / p2p_s, 1),
        "p2p_confirm_only_per_second": round(n / confirm_s, 1),
        "ratio": round(ledger_s / p2p_s, 3),
        "ratio_confirm_only": round(ledger_s / confirm_s, 3),
        "target_0_7_met": ledger_s / p2p_s >= 0.7,
        "queries_per_preview": len(previewed.captured_queries),
        "queries_per_confirm": len(confirmed.captured_queries),
        "queries_note": "Django's cursor; the ledger's transfer is one more statement on its raw cursor",
    }
    if args.profile:  # another 100 transfers under cProfile, after the timed ones (not in the figures)
        _profiled(args, "p2p", lambda: [one_p2p(n + 1 + i, *pairs[i % n]) for i in range(100)])
    return figures


def run(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from hokwe.celery import app

    call_command("migrate", verbosity=0)
    settings.CELERY_TASK_ALWAYS_EAGER = False  # notifications are queued on Redis, not sent here
    app.conf.task_always_eager = False
    with contextlib.suppress(Exception):
        app.connection_for_write().default_channel.client.flushdb()

    today = timezone.localdate()
    report: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "today": today.isoformat(),
        "scale": args.scale,
    }
    report["daily"] = daily(args, today)
    print(json.dumps(report["daily"], indent=2), flush=True)
    report["p2p"] = p2p(args)
    print(json.dumps(report["p2p"], indent=2), flush=True)
    report["peak_rss_mib"] = round(peak_rss_mib(), 1)
    out = ROOT / "var" / "bench-wallet.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"written to {out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
