"""HokweSplit: progressive rent saving toward one rent due (docs/wallet.md, "HokweSplit").

    plan_create(actor=, due=, frequency=, source=, withdrawal_rule=, today=) -> SplitPlan
    plan_pause / plan_resume / plan_cancel(actor=, plan=, today=)
    plan_withdraw_early(actor=, plan=, today=) -> (returned, fee)
    plan_settle(plan=, today=)       the due date: the vault pays the due, surplus back
    instalment_collect(instalment=, today=)   one auto-debit (the daily run's fallback)

The schedule (`schedule`) splits the target into daily or weekly instalments in whole minor
units: the last one takes the remainder, so they sum to the target exactly. The money sits in
the plan's vault, a ledger account `wallet.vault.<plan>` (a liability that cannot go
negative), locked until the due date except by the plan's early-withdrawal rule. Every
automatic movement's idempotency key is built from the plan and a date or a step: a retried
run moves money once."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from apps.core.errors import DomainError, NotFound
from apps.core.outbox import publish
from apps.estate import api as estate
from apps.kyc import api as kyc
from apps.ledger import api as ledger
from apps.ledger.contracts import AccountKind, OwnerType
from apps.notifications import api as notifications

from ..errors import (
    SplitDueTooSoon,
    SplitNothingToSave,
    SplitNotOpen,
    SplitPlanExists,
    SplitVaultEmpty,
    SplitWithdrawalLocked,
)
from ..events import SavingStreak
from ..messages import WALLET_SPLIT_SHORT_AT_DUE
from ..models import SplitInstalment, SplitPlan
from .wallets import ensure_usable, move, record_outflow, wallet_for

__all__ = [
    "CODE_FEE",
    "CODE_PAY",
    "CODE_RELEASE",
    "CODE_SAVE",
    "instalment_collect",
    "key_for",
    "plan_cancel",
    "plan_create",
    "plan_pause",
    "plan_resume",
    "plan_schedule",
    "plan_settle",
    "plan_state",
    "plan_withdraw_early",
    "record_paid",
    "schedule",
    "vault_balance",
    "vault_code",
]

CODE_SAVE = "wallet_split_save"  # wallet -> vault (an instalment)
CODE_RELEASE = "wallet_split_release"  # vault -> wallet (surplus, withdrawal, release)
CODE_FEE = "wallet_split_fee"  # vault -> fees revenue (early withdrawal fee)
CODE_PAY = "wallet_split_pay"  # the gap wallet -> vault on the due date
# an instalment (wallet -> own vault) is neither an inflow nor an outflow for kyc (the vault
# counts in the balance; the due paid from it is the outflow): the single-transaction maximum
KYC_OPERATION = "payment"


def vault_code(plan_public_id) -> str:
    return f"wallet.vault.{plan_public_id}"


def key_for(plan: SplitPlan, step: str | date) -> str:
    """`wallet:split:<plan>:<date>` for an instalment, `wallet:split:<plan>:<step>` else."""
    return f"wallet:split:{plan.public_id}:{step.isoformat() if isinstance(step, date) else step}"


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# --- the schedule ----------------------------------------------------------------------------


def schedule(*, target: int, start: date, due_date: date, frequency: str) -> list[tuple[date, int]]:
    """The instalments [(date, amount)] saving `target` from `start` (included) to the day
    before `due_date`: every day, or every 7 days. Integer arithmetic only: each takes
    target // n, the last the remainder; never more instalments than minor units."""
    days_left = (due_date - start).days
    if days_left < 1 or target < 1:
        return []
    step = 7 if frequency == SplitPlan.Frequency.WEEKLY else 1
    n = min((days_left + step - 1) // step, target)
    base = target // n
    out = [(start + timedelta(days=i * step), base) for i in range(n)]
    last_day, _ = out[-1]
    out[-1] = (last_day, target - base * (n - 1))
    return out


def vault_balance(plan: SplitPlan) -> int:
    return ledger.balance(account=plan.vault).posted


def _create_instalments(plan: SplitPlan, *, remaining: int, start: date) -> list[SplitInstalment]:
    last = plan.instalments.aggregate(seq=Max("seq"), on=Max("on"))
    seq0 = last["seq"] or 0
    if last["on"] is not None and last["on"] >= start:
        start = last["on"] + timedelta(days=1)  # a date's key is used once
    rows = [
        SplitInstalment(plan=plan, seq=seq0 + i + 1, on=on, amount=amount)
        for i, (on, amount) in enumerate(
            schedule(target=remaining, start=start, due_date=plan.due_date, frequency=plan.frequency)
        )
    ]
    return SplitInstalment.objects.bulk_create(rows)


# --- plans -----------------------------------------------------------------------------------


def plan_create(
    *,
    actor,
    due,
    frequency: str,
    source: str = SplitPlan.Source.WALLET,
    withdrawal_rule: str = SplitPlan.WithdrawalRule.FEE,
    today: date | None = None,
) -> SplitPlan:
    """A plan toward one of the actor's rent dues (a tenant of its lease): the target is
    what the due still owes, the date its due date. The vault is created with it; the first
    instalment is today's (the daily run takes it)."""
    today = _today(today)
    try:
        info = estate.rent_due(due)
    except NotFound:
        raise NotFound(field="due") from None
    lease = estate.lease(info.lease)
    if actor.public_id not in lease.tenants:
        raise NotFound(field="due")  # another tenant's due is never revealed
    if info.status.value not in {"upcoming", "due", "partially_paid", "overdue"} or info.outstanding <= 0:
        raise SplitNothingToSave(field="due")
    if (info.due_date - today).days < 1:
        raise SplitDueTooSoon(field="due")
    wallet = wallet_for(actor, info.currency)
    ensure_usable(wallet)
    public_id = uuid.uuid4()
    fee_bps = (
        settings.WALLET_SPLIT_EARLY_WITHDRAWAL_FEE_BPS
        if withdrawal_rule == SplitPlan.WithdrawalRule.FEE
        else 0
    )
    try:
        with transaction.atomic():
            vault = ledger.create_account(
                code=vault_code(public_id),
                name=f"HokweSplit vault {public_id}",
                currency=info.currency,
                kind=AccountKind.LIABILITY,
                owner_type=OwnerType.USER,
                owner=actor.public_id,
                debits_must_not_exceed_credits=True,
            )
            plan = SplitPlan.objects.create(
                public_id=public_id,
                user=actor,
                wallet=wallet,
                lease=info.lease,
                due=info.public_id,
                due_date=info.due_date,
                target=info.outstanding,
                currency=info.currency,
                frequency=frequency,
                source=source,
                withdrawal_rule=withdrawal_rule,
                withdrawal_fee_bps=fee_bps,
                vault=vault.public_id,
            )
            _create_instalments(plan, remaining=plan.target, start=today)
    except IntegrityError:
        raise SplitPlanExists(field="due") from None
    return plan


def _locked(plan: SplitPlan) -> SplitPlan:
    return SplitPlan.objects.select_for_update().select_related("wallet", "user").get(pk=plan.pk)


def _own(actor, plan: SplitPlan) -> None:
    if actor is not None and plan.user_id != actor.pk:
        raise NotFound()


def _drop_untaken(plan: SplitPlan) -> int:
    """Forget the instalments that moved no money (scheduled or missed); cancel the MoMo
    requests still unpaid."""
    if plan.source == SplitPlan.Source.MOMO:
        from .split_momo import cancel_requests

        cancel_requests(plan)
    deleted, _ = plan.instalments.filter(
        status__in=[SplitInstalment.Status.SCHEDULED, SplitInstalment.Status.MISSED]
    ).delete()
    return deleted


def plan_pause(*, actor, plan: SplitPlan, today: date | None = None) -> SplitPlan:
    """Stop the auto-debits; the vault keeps what is saved (still locked)."""
    _own(actor, plan)
    with transaction.atomic():
        plan = _locked(plan)
        if plan.status != SplitPlan.Status.ACTIVE:
            raise SplitNotOpen(field="plan")
        _drop_untaken(plan)
        plan.status = SplitPlan.Status.PAUSED
        plan.save(update_fields=["status", "updated_at"])
    return plan


def plan_resume(*, actor, plan: SplitPlan, today: date | None = None) -> SplitPlan:
    """Start again: what is left to save is spread over the days left."""
    today = _today(today)
    _own(actor, plan)
    with transaction.atomic():
        plan = _locked(plan)
        if plan.status != SplitPlan.Status.PAUSED:
            raise SplitNotOpen(field="plan")
        if (plan.due_date - today).days < 1:
            raise SplitDueTooSoon(field="plan")
        ensure_usable(plan.wallet)
        remaining = plan.target - vault_balance(plan)
        if remaining > 0:
            _create_instalments(plan, remaining=remaining, start=today)
        plan.status = SplitPlan.Status.ACTIVE
        plan.save(update_fields=["status", "updated_at"])
    return plan


def plan_cancel(*, actor, plan: SplitPlan, today: date | None = None) -> SplitPlan:
    """Stop saving for good. What the vault holds stays locked until the due date, when it
    goes back to the wallet (or earlier by the plan's early-withdrawal rule)."""
    _own(actor, plan)
    with transaction.atomic():
        plan = _locked(plan)
        if plan.status not in SplitPlan.OPEN:
            raise SplitNotOpen(field="plan")
        _drop_untaken(plan)
        plan.status = SplitPlan.Status.CANCELLED
        plan.closed_reason = "cancelled by the saver"
        if vault_balance(plan) == 0:
            plan.closed_at = timezone.now()
        plan.save(update_fields=["status", "closed_reason", "closed_at", "updated_at"])
    return plan


def _release(plan: SplitPlan, amount: int, step: str) -> None:
    """Vault -> the saver's own wallet (not an inflow for kyc: the vault already counts)."""
    if amount > 0:
        move(
            idempotency_key=key_for(plan, step),
            code=CODE_RELEASE,
            debit=plan.vault,
            credit=plan.wallet.account,
            amount=amount,
            currency=plan.currency,
            into=plan.wallet,
            record_usage=False,
            description="HokweSplit: back to the wallet",
            reference=f"wallet.SplitPlan:{plan.public_id}",
        )


def plan_withdraw_early(*, actor, plan: SplitPlan, today: date | None = None) -> tuple[int, int]:
    """Take the savings back before the due date, by the plan's rule: `free`, `fee` (the
    fee, in basis points of the balance, rounded down, goes to Hokwe's fees revenue) or
    `locked` (refused). The plan ends. Returns (returned to the wallet, fee)."""
    today = _today(today)
    _own(actor, plan)
    with transaction.atomic():
        plan = _locked(plan)
        if plan.status not in (*SplitPlan.OPEN, SplitPlan.Status.CANCELLED) or plan.closed_at is not None:
            raise SplitNotOpen(field="plan")
        if plan.withdrawal_rule == SplitPlan.WithdrawalRule.LOCKED and today < plan.due_date:
            raise SplitWithdrawalLocked(field="plan")
        balance = vault_balance(plan)
        if balance <= 0:
            raise SplitVaultEmpty(field="plan")
        fee = 0
        if plan.withdrawal_rule == SplitPlan.WithdrawalRule.FEE and today < plan.due_date:
            fee = balance * plan.withdrawal_fee_bps // 10_000
        ensure_usable(plan.wallet)
        if fee:
            move(
                idempotency_key=key_for(plan, "withdraw-fee"),
                code=CODE_FEE,
                debit=plan.vault,
                credit=ledger.system_account(code="fees_revenue", currency=plan.currency).public_id,
                amount=fee,
                currency=plan.currency,
                description="HokweSplit: early withdrawal fee",
                reference=f"wallet.SplitPlan:{plan.public_id}",
            )
        _release(plan, balance - fee, "withdraw")
        _drop_untaken(plan)
        plan.status = SplitPlan.Status.WITHDRAWN
        plan.closed_at = timezone.now()
        plan.closed_reason = f"withdrawn early (fee {fee})"
        plan.save(update_fields=["status", "closed_at", "closed_reason", "updated_at"])
    return balance - fee, fee


# --- instalments -----------------------------------------------------------------------------


def record_paid(plan: SplitPlan, instalments: list[SplitInstalment], *, today: date) -> list[SavingStreak]:
    """Mark `instalments` (of one plan, in date order) paid today and move the streak: one
    paid on its own date counts, a late one starts again from zero. Returns the SavingStreak
    events to publish (one at each multiple of WALLET_SPLIT_STREAK_LENGTH). The caller holds
    the plan's lock, saves the rows and publishes the events."""
    every = max(settings.WALLET_SPLIT_STREAK_LENGTH, 1)
    events = []
    for inst in instalments:
        inst.status = SplitInstalment.Status.PAID
        inst.paid_on = today
        inst.last_error = ""
        if inst.on == today:
            plan.streak += 1
            plan.best_streak = max(plan.best_streak, plan.streak)
            if plan.streak % every == 0:
                events.append(
                    SavingStreak(
                        plan_id=str(plan.public_id),
                        user_id=str(plan.user.public_id),
                        lease_id=str(plan.lease),
                        due_id=str(plan.due),
                        streak=plan.streak,
                        amount=inst.amount,
                        target=plan.target,
                        currency=plan.currency,
                        on=inst.on.isoformat(),
                    )
                )
        else:
            plan.streak = 0
    return events


def instalment_collect(*, instalment: SplitInstalment, today: date | None = None) -> bool:
    """One auto-debit wallet -> vault (key `wallet:split:<plan>:<date>`), through `move`
    (the wallet locked and checked usable). Too little in the wallet, or a frozen wallet:
    the instalment is `missed` (retried by the next runs until the due date) and the streak
    starts again. Returns True when the money moved (or had already moved)."""
    today = _today(today)
    with transaction.atomic():
        inst = SplitInstalment.objects.select_for_update().get(pk=instalment.pk)
        plan = _locked(inst.plan)
        if inst.status not in (SplitInstalment.Status.SCHEDULED, SplitInstalment.Status.MISSED):
            return inst.status == SplitInstalment.Status.PAID
        if plan.status != SplitPlan.Status.ACTIVE:
            return False
        try:
            with transaction.atomic():
                kyc.check(plan.user, KYC_OPERATION, inst.amount, currency=plan.currency)
                move(
                    idempotency_key=key_for(plan, inst.on),
                    code=CODE_SAVE,
                    debit=plan.wallet.account,
                    credit=plan.vault,
                    amount=inst.amount,
                    currency=plan.currency,
                    out_of=plan.wallet,
                    record_usage=False,
                    description="HokweSplit: saving",
                    reference=f"wallet.SplitPlan:{plan.public_id}",
                )
        except DomainError as refused:  # too little, frozen, closed: retried tomorrow
            _missed(plan, inst, today, refused.code)
            return False
        inst.attempts += 1
        events = record_paid(plan, [inst], today=today)
        for event in events:
            publish(event)
        inst.save(update_fields=["status", "paid_on", "attempts", "last_error", "updated_at"])
        plan.save(update_fields=["streak", "best_streak", "updated_at"])
    return True


def _missed(plan: SplitPlan, inst: SplitInstalment, today: date, code: str) -> None:
    inst.status = SplitInstalment.Status.MISSED
    inst.attempts += 1
    inst.last_error = str(code)[:64]
    inst.save(update_fields=["status", "attempts", "last_error", "updated_at"])
    if plan.streak:
        plan.streak = 0
        plan.save(update_fields=["streak", "updated_at"])


# --- the due date ----------------------------------------------------------------------------


def plan_settle(*, plan: SplitPlan, today: date | None = None) -> SplitPlan:
    """The due date (or later): the vault pays what the due still owes (the wallet adds the
    gap when it can), the surplus goes back to the wallet. Too little even with the wallet:
    the vault's money goes back to the wallet and the saver is told by SMS. The due settled
    another way, or the plan cancelled: the money goes back. Idempotent (the plan's status
    under its lock; every movement keyed by the plan and its step)."""
    from .rent import pay_rent_due

    today = _today(today)
    with transaction.atomic():
        plan = _locked(plan)
        if plan.closed_at is not None or plan.status not in (*SplitPlan.OPEN, SplitPlan.Status.CANCELLED):
            return plan
        if plan.due_date > today:
            return plan
        _drop_untaken(plan)
        balance = vault_balance(plan)
        info = estate.rent_due(plan.due)
        owed = (
            info.outstanding if info.status.value in {"upcoming", "due", "partially_paid", "overdue"} else 0
        )
        if plan.status == SplitPlan.Status.CANCELLED or owed == 0:
            _release(plan, balance, "release")
            if plan.status != SplitPlan.Status.CANCELLED:
                plan.status = SplitPlan.Status.RELEASED
                plan.closed_reason = "the due was settled another way"
            plan.closed_at = timezone.now()
            plan.save(update_fields=["status", "closed_reason", "closed_at", "updated_at"])
            return plan
        gap = owed - balance
        if gap > 0:
            try:
                with transaction.atomic():
                    move(
                        idempotency_key=key_for(plan, "gap"),
                        code=CODE_PAY,
                        debit=plan.wallet.account,
                        credit=plan.vault,
                        amount=gap,
                        currency=plan.currency,
                        out_of=plan.wallet,
                        record_usage=False,
                        description="HokweSplit: the rest of the rent from the wallet",
                        reference=f"wallet.SplitPlan:{plan.public_id}",
                    )
                balance += gap
            except DomainError:
                pass  # too little in the wallet as well: short
        if balance < owed:
            _release(plan, balance, "release")
            plan.status = SplitPlan.Status.SHORT
            plan.closed_at = timezone.now()
            plan.closed_reason = f"short by {owed - balance} on the due date"
            plan.save(update_fields=["status", "closed_at", "closed_reason", "updated_at"])
            notifications.send(
                plan.user.public_id,
                WALLET_SPLIT_SHORT_AT_DUE,
                {
                    "saved": {"amount": balance, "currency": plan.currency},
                    "target": {"amount": owed, "currency": plan.currency},
                    "due_date": plan.due_date.isoformat(),
                },
                idempotency_key=key_for(plan, "short"),
            )
            return plan
        # e-money leaving the saver's holdings: kyc's outflow binds as for a wallet payment
        record_outflow(plan.wallet, owed, kyc_operation="wallet_payment")
        intent = pay_rent_due(
            actor=plan.user, due=plan.due, account=plan.vault, idempotency_key=key_for(plan, "pay")
        )
        _release(plan, balance - owed, "surplus")
        plan.status = SplitPlan.Status.PAID
        plan.rent_intent = intent.public_id
        plan.closed_at = timezone.now()
        plan.save(update_fields=["status", "rent_intent", "closed_at", "updated_at"])
    return plan


# --- reads for the transports ----------------------------------------------------------------


def plan_state(plan: SplitPlan) -> SplitPlan:
    """The plan with `saved` (the vault's balance) and `next_instalment` (or None) set."""
    plan.saved = vault_balance(plan)
    nxt = (
        plan.instalments.filter(
            status__in=[
                SplitInstalment.Status.SCHEDULED,
                SplitInstalment.Status.MISSED,
                SplitInstalment.Status.REQUESTED,
            ]
        )
        .order_by("on")
        .first()
    )
    if nxt is not None:
        nxt.plan = plan
    plan.next_instalment = nxt
    return plan


def plan_schedule(plan: SplitPlan) -> list[SplitInstalment]:
    rows = list(plan.instalments.order_by("seq"))
    for row in rows:
        row.plan = plan
    return rows
