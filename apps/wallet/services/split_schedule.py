"""HokweSplit's daily run (beat `wallet.split_daily`; bench and demo call it too):

    run_due_debits(today, *, batch=None) -> SplitRunResult

1. auto-debits: every instalment of an active wallet-funded plan dated today or earlier and
   not yet taken (scheduled, or missed and retried) moves wallet -> vault. Set-based: per
   batch of WALLET_SPLIT_BATCH instalments, one transaction locks the instalments (SKIP
   LOCKED: a duplicated run takes other rows), the plans and the wallets, posts every
   transfer with one `ledger.transfer_many` (keys `wallet:split:<plan>:<date>`: a key that
   already moved is skipped), marks the instalments paid, moves the streaks, touches the
   wallets' last activity and publishes the SavingStreak events. A short wallet's instalment
   is missed (retried by the next runs): the ledger batch is halved down to the refused
   transfers (`transfer_passing`), the others are taken. A frozen or closed wallet: missed,
   nothing moves.
2. MoMo requests: an instalment of a MoMo-funded plan becomes a payment intent crediting the
   vault, pushed to the tenant's phone (outside any lock); paid, the handler marks it.
3. due dates: each plan whose due date has come is settled (`split.plan_settle`).
4. shortfall alerts: WALLET_SPLIT_SHORTFALL_ALERT_DAYS before the due date, a plan whose
   vault plus the instalments still to come will not reach the target sends one SMS.

A killed run resumes where it stopped: what committed is paid, the rest is still to take.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from types import SimpleNamespace

from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, ExpressionWrapper, F, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.bulk import collector_paused
from apps.core.errors import DomainError
from apps.core.outbox import publish_many
from apps.kyc import api as kyc
from apps.ledger import api as ledger
from apps.ledger.contracts import Leg, TransferRequest
from apps.notifications import api as notifications

from ..messages import WALLET_SPLIT_SHORTFALL
from ..models import SplitInstalment, SplitPlan, Wallet
from . import split

__all__ = ["SplitRunResult", "run_due_debits"]

logger = logging.getLogger("hokwe.wallet.split")

TO_TAKE = (SplitInstalment.Status.SCHEDULED, SplitInstalment.Status.MISSED)


@dataclass
class SplitRunResult:
    debited: int = 0  # instalments paid by auto-debit in this run
    amount: int = 0  # their total (all currencies together: a count for the logs)
    missed: int = 0  # instalments that could not be taken (retried by the next runs)
    requested: int = 0  # MoMo requests pushed
    settled: int = 0  # plans whose due date was handled
    alerts: int = 0  # shortfall SMS
    failed: int = 0  # plans whose settlement was refused (retried by the next runs)
    batches: int = 0
    fallbacks: int = 0  # batches with a short wallet (its transfers found by halving the batch)

    def as_dict(self) -> dict:
        return asdict(self)


def run_due_debits(today: date, *, batch: int | None = None) -> SplitRunResult:
    """The daily run for `today` (idempotent: a retried or duplicated run moves money once)."""
    result = SplitRunResult()
    size = batch or settings.WALLET_SPLIT_BATCH
    _auto_debits(today, size, result)
    _momo_requests(today, result)
    _settle_due(today, result)
    _shortfall_alerts(today, result)
    logger.info("split_run", extra={"today": today.isoformat(), **result.as_dict()})
    return result


# --- 1. auto-debits ------------------------------------------------------------------------------


INSTALMENT_FIELDS = ("id", "public_id", "plan_id", "seq", "on", "amount", "status", "attempts", "last_error")
PLAN_FIELDS = (
    "id",
    "public_id",
    "user_id",
    "wallet_id",
    "lease",
    "due",
    "due_date",
    "target",
    "currency",
    "vault",
    "status",
    "source",
    "streak",
    "best_streak",
)
WALLET_FIELDS = ("id", "account", "status", "currency", "user_id", "user__public_id")


def _in(ids):
    """`pk__in` for thousands of ids: one array parameter on PostgreSQL (Django resolves a
    list item by item), the list elsewhere."""
    ids = list(ids)
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return ids


def transfer_passing(requests: list) -> list[int]:
    """`ledger.transfer_many(requests)` as far as the wallets pay: when one is short
    (InsufficientFunds: the ledger does not say which), each half is tried on its own (a
    savepoint each), down to the single transfers refused. Returns the indexes posted. In
    request order, so the outcome is the one-by-one path's: a transfer passes when the
    wallet covers it after the ones before it; k short wallets cost about k·log2(n) tries
    instead of sending the whole batch one by one."""
    if not requests:
        return []
    try:
        with transaction.atomic():
            ledger.transfer_many(requests)
        return list(range(len(requests)))
    except ledger.InsufficientFunds:
        if len(requests) == 1:
            return []
    middle = len(requests) // 2
    return transfer_passing(requests[:middle]) + [middle + i for i in transfer_passing(requests[middle:])]


def _auto_debits(today: date, size: int, result: SplitRunResult) -> None:
    after = 0
    while True:
        with collector_paused():
            after = _debit_batch(today, after, size, result)
        if after is None:
            break


def _debit_batch(today: date, after: int, size: int, result: SplitRunResult) -> int | None:
    """The next batch after instalment `after`, in one transaction; returns its last id (None:
    nothing left). Rows another run holds are skipped (SKIP LOCKED): that run takes them."""
    with transaction.atomic():
        rows = list(
            SplitInstalment.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                pk__gt=after,
                on__lte=today,
                status__in=TO_TAKE,
                plan__status=SplitPlan.Status.ACTIVE,
                plan__source=SplitPlan.Source.WALLET,
                plan__due_date__gt=today,
            )
            .only(*INSTALMENT_FIELDS)
            .order_by("pk")[:size]
        )
        if not rows:
            return None
        result.batches += 1
        last = rows[-1].pk
        plans = {
            p.pk: p
            for p in SplitPlan.objects.select_for_update()
            .filter(pk__in=_in({r.plan_id for r in rows}), status=SplitPlan.Status.ACTIVE, due_date__gt=today)
            .only(*PLAN_FIELDS)
            .order_by("pk")
        }
        wallets = {
            w.pk: w
            for w in Wallet.objects.select_for_update(of=("self",))
            .select_related("user")
            .only(*WALLET_FIELDS)
            # the number as stored (kyc's country), as text: F() alone kept the phone field's
            # converter, which parsed every number (a tenth of the batch's CPU)
            .annotate(user_phone=ExpressionWrapper(F("user__phone"), output_field=CharField()))
            .filter(pk__in=_in({p.wallet_id for p in plans.values()}))
            .order_by("pk")
        }
        takes, blocked = [], []
        for row in rows:
            plan = plans.get(row.plan_id)
            if plan is None:
                continue  # paused or cancelled since the read
            plan.wallet, plan.user = wallets[plan.wallet_id], wallets[plan.wallet_id].user
            row.plan = plan
            (takes if plan.wallet.status == Wallet.Status.ACTIVE else blocked).append(row)
        for row in blocked:
            split._missed(row.plan, row, today, "wallet_" + row.plan.wallet.status)
            result.missed += 1
        takes = _within_limits(takes, today, result)
        if not takes:
            return last
        requests = [
            TransferRequest(
                idempotency_key=split.key_for(row.plan, row.on),
                code=split.CODE_SAVE,
                legs=(
                    Leg.debit(row.plan.wallet.account, row.amount, row.plan.currency),
                    Leg.credit(row.plan.vault, row.amount, row.plan.currency),
                ),
                description="HokweSplit: saving",
                reference=f"wallet.SplitPlan:{row.plan.public_id}",
            )
            for row in takes
        ]
        try:
            # a short wallet: its instalment is missed (retried by the next runs), the others
            # are taken here (the batch halved down to the refused transfers, in order)
            posted = transfer_passing(requests)
        except DomainError:  # a closed account in the batch: one by one
            result.fallbacks += 1
            for row in takes:
                if split.instalment_collect(instalment=row, today=today):
                    result.debited += 1
                    result.amount += row.amount
                else:
                    result.missed += 1
            return last
        if len(posted) < len(takes):
            result.fallbacks += 1
            passed = set(posted)
            # missed before the paid ones are recorded: a plan's streak moves as the
            # one-by-one path moves it (a plan's instalments in date order, today's last)
            for i, row in enumerate(takes):
                if i not in passed:
                    split._missed(row.plan, row, today, ledger.InsufficientFunds.code)
                    result.missed += 1
            takes = [takes[i] for i in posted]
            if not takes:
                return last
        by_plan: dict[int, list[SplitInstalment]] = defaultdict(list)
        for row in takes:
            by_plan[row.plan_id].append(row)
        events = []
        for plan_id, paid in by_plan.items():
            events += split.record_paid(plans[plan_id], sorted(paid, key=lambda r: r.on), today=today)
        now = timezone.now()
        # every taken instalment gets the same values: one UPDATE, not a CASE per row
        SplitInstalment.objects.filter(pk__in=_in(row.pk for row in takes)).update(
            status=SplitInstalment.Status.PAID,
            paid_on=today,
            attempts=F("attempts") + 1,
            last_error="",
            updated_at=now,
        )
        touched = [plans[pid] for pid in by_plan]
        _save_streaks(touched, now)
        # the saver's own movement out of the wallet: activity (as `move` does)
        Wallet.objects.filter(pk__in=_in({p.wallet_id for p in touched})).update(
            last_activity_at=now, dormant_since=None, updated_at=now
        )
        publish_many(events)
        result.debited += len(takes)
        result.amount += sum(row.amount for row in takes)
    return last


def _within_limits(rows: list[SplitInstalment], today: date, result: SplitRunResult) -> list[SplitInstalment]:
    """kyc's limits on the batch, set-based (one `kyc.check_many`). Wallet -> the saver's own
    vault is neither an inflow nor an outflow (the vault counts in their e-money balance; the
    outflow is counted when the vault pays the due), so the limit that binds is the one every
    movement has: the single-transaction maximum (`payment`). A refused instalment is missed,
    as for a short wallet (retried by the next runs)."""
    verdicts = kyc.check_many(
        [
            (
                SimpleNamespace(
                    pk=row.plan.user_id, public_id=row.plan.user.public_id, phone=row.plan.wallet.user_phone
                ),
                split.KYC_OPERATION,
                row.amount,
                row.plan.currency,
            )
            for row in rows
        ]
    )
    takes = []
    for row, refused in zip(rows, verdicts, strict=True):
        if refused is None:
            takes.append(row)
        else:
            split._missed(row.plan, row, today, refused.code)
            result.missed += 1
    return takes


def _save_streaks(plans: list[SplitPlan], now) -> None:
    """The plans' streaks in one UPDATE … FROM unnest(…) (Django's bulk_update builds a CASE
    per row: seconds of Python for a batch of 2,000)."""
    if connection.vendor != "postgresql":
        for plan in plans:
            plan.updated_at = now
        SplitPlan.objects.bulk_update(plans, ["streak", "best_streak", "updated_at"], batch_size=1000)
        return
    table = SplitPlan._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" AS p SET streak = v.streak, best_streak = v.best, updated_at = %s '  # noqa: S608 - the model's table
            "FROM unnest(%s::bigint[], %s::integer[], %s::integer[]) AS v(id, streak, best) WHERE p.id = v.id",
            [now, [p.pk for p in plans], [p.streak for p in plans], [p.best_streak for p in plans]],
        )


# --- 2. MoMo requests ----------------------------------------------------------------------------


def _momo_requests(today: date, result: SplitRunResult) -> None:
    from .split_momo import request_instalment

    rows = (
        SplitInstalment.objects.filter(
            on__lte=today,
            status=SplitInstalment.Status.SCHEDULED,
            plan__status=SplitPlan.Status.ACTIVE,
            plan__source=SplitPlan.Source.MOMO,
            plan__due_date__gt=today,
        )
        .select_related("plan__user", "plan__wallet")
        .order_by("pk")
    )
    for row in rows.iterator(chunk_size=500):
        try:
            if request_instalment(instalment=row, today=today):
                result.requested += 1
        except DomainError:
            logger.warning(
                "split_momo_request_refused", extra={"instalment": str(row.public_id)}, exc_info=True
            )
            result.missed += 1


# --- 3. due dates --------------------------------------------------------------------------------


def _settle_due(today: date, result: SplitRunResult) -> None:
    plans = (
        SplitPlan.objects.filter(due_date__lte=today, closed_at__isnull=True)
        .filter(Q(status__in=SplitPlan.OPEN) | Q(status=SplitPlan.Status.CANCELLED))
        .order_by("due_date", "pk")
    )
    for plan in plans.iterator(chunk_size=500):
        try:
            split.plan_settle(plan=plan, today=today)
            result.settled += 1
        except DomainError:
            logger.warning("split_settle_refused", extra={"plan": str(plan.public_id)}, exc_info=True)
            result.failed += 1


# --- 4. shortfall alerts -------------------------------------------------------------------------


def _shortfall_alerts(today: date, result: SplitRunResult) -> None:
    """Set-based first (the vault of a plan before its due date holds its paid instalments),
    then the ledger's balance for the few candidates."""
    horizon = today + timedelta(days=settings.WALLET_SPLIT_SHORTFALL_ALERT_DAYS)
    candidates = (
        SplitPlan.objects.filter(
            status__in=SplitPlan.OPEN,
            due_date__gt=today,
            due_date__lte=horizon,
            shortfall_alerted_on__isnull=True,
        )
        .annotate(
            paid=Coalesce(
                Sum("instalments__amount", filter=Q(instalments__status=SplitInstalment.Status.PAID)), 0
            ),
            coming=Coalesce(
                Sum(
                    "instalments__amount",
                    filter=Q(
                        instalments__on__gt=today,
                        instalments__status__in=[
                            SplitInstalment.Status.SCHEDULED,
                            SplitInstalment.Status.REQUESTED,
                        ],
                    ),
                ),
                0,
            ),
        )
        .select_related("user")
        .order_by("pk")
    )
    for plan in candidates:
        if plan.paid + plan.coming >= plan.target:
            continue
        missing = plan.target - split.vault_balance(plan) - plan.coming
        if missing <= 0:
            continue
        with transaction.atomic():
            notifications.send(
                plan.user.public_id,
                WALLET_SPLIT_SHORTFALL,
                {
                    "missing": {"amount": missing, "currency": plan.currency},
                    "target": {"amount": plan.target, "currency": plan.currency},
                    "due_date": plan.due_date.isoformat(),
                },
                idempotency_key=split.key_for(plan, "shortfall"),
            )
            SplitPlan.objects.filter(pk=plan.pk).update(shortfall_alerted_on=today)
        result.alerts += 1
