"""The emergency fund (docs/lending.md, "Emergency fund, guarantors and pledged savings").

    open_fund(actor=, currency=, goal=, withdrawal_rule=, notice_days=) -> EmergencyFund
    configure(actor=, fund=, goal=, withdrawal_rule=, notice_days=, today=)
    set_automatic(actor=, fund=, amount=, frequency=, start=)
    deposit(actor=, fund=, amount=, idempotency_key=)            wallet -> fund
    withdraw(actor=, fund=, amount=, idempotency_key=, today=)   fund -> wallet, now or after the notice
    cancel_notice(actor=, notice=)
    notices_run(today)            daily: pay the withdrawals whose notice has run
    automatic_run(today)          daily: the automatic savings due, from the wallet
    fund_debit(user=, currency=, amount=, to_account=, idempotency_key=)   a loan repayment
    emergency_fund_for(user, currency) -> EmergencyFundInfo | None         underwriting

The money sits in the fund's ledger account (services/accounts.py `fund_account`), owned by
the user under the wallet's savings prefix: moving money between the wallet and the fund is
neither an inflow nor an outflow for kyc (the wallet's `to_own_savings` /
`from_own_savings`). Pledged savings are ledger holds on that account (services/pledges.py),
so the ledger itself refuses to spend them. A withdrawal under notice is a WithdrawalNotice
row: nothing moves until its date; until then its amount is set aside (`available`).
A withdrawal with no lock is recorded the same way, paid at once."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.errors import IdempotencyConflict, NotFound
from apps.ledger import api as ledger
from apps.ledger.contracts import Leg, TransferResult
from apps.wallet import api as wallet

from ..contracts import EmergencyFundInfo, WithdrawalRule
from ..errors import (
    FundAmountInvalid,
    FundClosed,
    FundNotEnough,
    FundNotFound,
    FundRuleInvalid,
    NoticeNotFound,
)
from ..models import EmergencyFund, WithdrawalNotice
from .accounts import fund_account

__all__ = [
    "CODE_AUTO",
    "CODE_DEPOSIT",
    "CODE_REPAYMENT",
    "CODE_WITHDRAWAL",
    "MAX_NOTICE_DAYS",
    "automatic_run",
    "available",
    "cancel_notice",
    "configure",
    "deposit",
    "emergency_fund_for",
    "fund_debit",
    "fund_info",
    "fund_of",
    "notices_run",
    "open_fund",
    "set_automatic",
    "withdraw",
]

CODE_DEPOSIT = "lending_fund_deposit"  # wallet -> fund
CODE_AUTO = "lending_fund_auto"  # wallet -> fund, the automatic saving
CODE_WITHDRAWAL = "lending_fund_withdrawal"  # fund -> wallet
CODE_REPAYMENT = "lending_fund_repayment"  # fund -> a loan's account (a repayment)
MAX_NOTICE_DAYS = 90


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _positive(amount) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise FundAmountInvalid(field="amount")
    return amount


def _key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()[:120]
    if not key:
        raise IdempotencyConflict(field="Idempotency-Key")
    return key


def _user_pk(user) -> int:
    if getattr(user, "pk", None) is not None and hasattr(user, "_meta"):
        return user.pk
    if getattr(user, "id", None) is not None and hasattr(user, "public_id"):
        return user.id  # an identity UserInfo
    from apps.identity import api as identity

    found = identity.user_ids([uuid.UUID(str(user))]).get(uuid.UUID(str(user)))
    if found is None:
        raise FundNotFound(field="user")
    return found


def fund_of(user, currency: str = "XOF") -> EmergencyFund | None:
    """The user's fund in `currency`, or None. `user`: a user, a UserInfo or a public id."""
    return EmergencyFund.objects.filter(user_id=_user_pk(user), currency=currency).first()


def _own(actor, fund: EmergencyFund) -> None:
    if actor is None or fund.user_id != actor.pk:
        raise FundNotFound(field="fund")


def _open(fund: EmergencyFund) -> None:
    if fund.status != EmergencyFund.Status.OPEN:
        raise FundClosed(field="fund")


def _rule(withdrawal_rule, notice_days) -> tuple[str, int]:
    try:
        rule = WithdrawalRule(withdrawal_rule)
    except ValueError:
        raise FundRuleInvalid(field="withdrawal_rule") from None
    if rule == WithdrawalRule.NO_LOCK:
        return rule.value, 0
    if not isinstance(notice_days, int) or not 1 <= notice_days <= MAX_NOTICE_DAYS:
        raise FundRuleInvalid(field="notice_days")
    return rule.value, notice_days


def _goal(goal) -> int:
    if isinstance(goal, bool) or not isinstance(goal, int) or goal < 0:
        raise FundAmountInvalid(field="goal")
    return goal


def open_fund(
    *,
    actor,
    currency: str = "XOF",
    goal: int = 0,
    withdrawal_rule: str = WithdrawalRule.NO_LOCK,
    notice_days: int = 0,
) -> EmergencyFund:
    """The actor's fund in `currency`, opened with its ledger account (an open fund is
    returned as it is: opening twice is harmless)."""
    found = fund_of(actor, currency)
    if found is not None:
        return found
    rule, days = _rule(withdrawal_rule, notice_days)
    public_id = uuid.uuid4()
    account = fund_account(fund_public_id=public_id, user_public_id=actor.public_id, currency=currency)
    try:
        with transaction.atomic():
            return EmergencyFund.objects.create(
                public_id=public_id,
                user_id=actor.pk,
                currency=currency,
                account=account,
                goal=_goal(goal),
                withdrawal_rule=rule,
                notice_days=days,
            )
    except IntegrityError:
        return EmergencyFund.objects.get(user_id=actor.pk, currency=currency)


def _locked(fund: EmergencyFund) -> EmergencyFund:
    return EmergencyFund.objects.select_for_update().get(pk=fund.pk)


def _apply_pending_rule(fund: EmergencyFund, today: date) -> None:
    """A looser rule asked earlier takes effect once the old notice has run."""
    if fund.pending_rule and fund.pending_rule_from and fund.pending_rule_from <= today:
        fund.withdrawal_rule, fund.notice_days = fund.pending_rule, fund.pending_notice_days
        fund.pending_rule, fund.pending_notice_days, fund.pending_rule_from = "", 0, None
        fund.save(
            update_fields=[
                "withdrawal_rule",
                "notice_days",
                "pending_rule",
                "pending_notice_days",
                "pending_rule_from",
                "updated_at",
            ]
        )


def configure(
    *,
    actor,
    fund: EmergencyFund,
    goal: int | None = None,
    withdrawal_rule: str | None = None,
    notice_days: int | None = None,
    today: date | None = None,
) -> EmergencyFund:
    """Change the goal (at once) and the withdrawal rule: a stricter rule (a notice, or a
    longer one) binds at once; a looser one (no lock, or a shorter notice) only after the
    current notice period, so the notice cannot be dodged by changing the rule."""
    today = _today(today)
    _own(actor, fund)
    with transaction.atomic():
        fund = _locked(fund)
        _open(fund)
        _apply_pending_rule(fund, today)
        if goal is not None:
            fund.goal = _goal(goal)
        if withdrawal_rule is not None:
            rule, days = _rule(withdrawal_rule, notice_days if notice_days is not None else fund.notice_days)
            if days >= fund.notice_days:
                fund.withdrawal_rule, fund.notice_days = rule, days
                fund.pending_rule, fund.pending_notice_days, fund.pending_rule_from = "", 0, None
            else:
                fund.pending_rule, fund.pending_notice_days = rule, days
                fund.pending_rule_from = today + timedelta(days=fund.notice_days)
        fund.save()
    return fund


def _next_date(on: date, frequency: str) -> date:
    if frequency == EmergencyFund.AutoFrequency.WEEKLY:
        return on + timedelta(days=7)
    return on + relativedelta(months=1)


def set_automatic(
    *, actor, fund: EmergencyFund, amount: int, frequency: str = "", start: date | None = None
) -> EmergencyFund:
    """Automatic savings from the wallet: `amount` every week or month from `start`
    (default today); amount 0 stops them."""
    _own(actor, fund)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise FundAmountInvalid(field="amount")
    if amount and frequency not in EmergencyFund.AutoFrequency.values:
        raise FundRuleInvalid(_("Choose every week or every month."), field="frequency")
    with transaction.atomic():
        fund = _locked(fund)
        _open(fund)
        fund.auto_amount = amount
        fund.auto_frequency = frequency if amount else ""
        fund.auto_next_on = _today(start) if amount else None
        fund.auto_missed = 0
        fund.save()
    return fund


def deposit(*, actor, fund: EmergencyFund, amount: int, idempotency_key: str) -> TransferResult:
    """Wallet -> fund, now. Idempotent on the key. InsufficientFunds, WalletFrozen..."""
    _own(actor, fund)
    _open(fund)
    return wallet.to_own_savings(
        user=actor,
        account=fund.account,
        amount=_positive(amount),
        currency=fund.currency,
        idempotency_key=f"lending:fund:{fund.public_id}:in:{_key(idempotency_key)}",
        code=CODE_DEPOSIT,
        reference=f"lending.EmergencyFund:{fund.public_id}",
    )


def _under_notice(fund: EmergencyFund) -> int:
    return fund.notices.filter(status=WithdrawalNotice.Status.PENDING).aggregate(s=Sum("amount"))["s"] or 0


def available(fund: EmergencyFund) -> int:
    """What may be withdrawn or pledged now: the ledger's available balance (pledges are
    holds) minus the withdrawals waiting for their notice."""
    return max(ledger.balance(account=fund.account).available - _under_notice(fund), 0)


def _pay(notice: WithdrawalNotice, fund: EmergencyFund, amount: int) -> TransferResult:
    return wallet.from_own_savings(
        user=fund.user,
        account=fund.account,
        amount=amount,
        currency=fund.currency,
        idempotency_key=f"lending:fund:{fund.public_id}:out:{notice.public_id}",
        code=CODE_WITHDRAWAL,
        reference=f"lending.WithdrawalNotice:{notice.public_id}",
    )


def withdraw(
    *, actor, fund: EmergencyFund, amount: int, idempotency_key: str, today: date | None = None
) -> WithdrawalNotice:
    """Fund -> wallet. No lock: paid now (the notice row comes back `paid`). A notice rule:
    the amount is set aside and paid on `available_on` by the daily run (`pending`).
    Idempotent on the key (the same notice comes back). FundNotEnough when more than what
    is available is asked (pledged savings and other notices are set aside)."""
    today = _today(today)
    _own(actor, fund)
    amount = _positive(amount)
    key = _key(idempotency_key)
    with transaction.atomic():
        fund = _locked(fund)
        done = fund.notices.filter(idempotency_key=key).first()
        if done is not None:
            if done.amount != amount:
                raise IdempotencyConflict(field="Idempotency-Key")
            return done
        _open(fund)
        _apply_pending_rule(fund, today)
        if amount > available(fund):
            raise FundNotEnough(field="amount")
        notice_days = fund.notice_days if fund.withdrawal_rule == WithdrawalRule.NOTICE else 0
        notice = WithdrawalNotice.objects.create(
            fund=fund, amount=amount, available_on=today + timedelta(days=notice_days), idempotency_key=key
        )
        if notice_days == 0:
            result = _pay(notice, fund, amount)
            notice.status, notice.paid_amount = WithdrawalNotice.Status.PAID, amount
            notice.transfer, notice.settled_at = result.public_id, timezone.now()
            notice.save()
    return notice


def cancel_notice(*, actor, notice: WithdrawalNotice) -> WithdrawalNotice:
    """Forget a withdrawal still waiting for its notice (the money stays in the fund)."""
    _own(actor, notice.fund)
    with transaction.atomic():
        notice = WithdrawalNotice.objects.select_for_update().get(pk=notice.pk)
        if notice.status != WithdrawalNotice.Status.PENDING:
            raise NoticeNotFound(field="notice")
        notice.status, notice.settled_at = WithdrawalNotice.Status.CANCELLED, timezone.now()
        notice.save(update_fields=["status", "settled_at", "updated_at"])
    return notice


def notices_run(today: date | None = None) -> dict:
    """Pay every withdrawal whose notice has run (daily). The money is paid up to what the
    fund still has available (a pledge taken meanwhile, a repayment from the fund): the rest
    is recorded as not paid. A frozen wallet: the notice fails (the money stays in the
    fund). Idempotent: a paid notice is never paid again (and its key is per notice)."""
    today = _today(today)
    paid = failed = 0
    due = list(
        WithdrawalNotice.objects.filter(status=WithdrawalNotice.Status.PENDING, available_on__lte=today)
        .order_by("available_on", "id")
        .values_list("pk", flat=True)
    )
    for pk in due:
        with transaction.atomic():
            notice = WithdrawalNotice.objects.select_for_update().select_related("fund__user").get(pk=pk)
            if notice.status != WithdrawalNotice.Status.PENDING:
                continue
            fund = notice.fund
            # the notice's own amount is set aside in `available`: add it back for itself
            can = min(notice.amount, available(fund) + notice.amount)
            can = min(can, ledger.balance(account=fund.account).available)
            try:
                if can <= 0:
                    raise FundNotEnough(field="amount")
                with transaction.atomic():
                    result = _pay(notice, fund, can)
            except (
                FundNotEnough,
                wallet.WalletFrozen,
                wallet.WalletClosed,
                ledger.InsufficientFunds,
            ) as refusal:
                notice.status, notice.failure = WithdrawalNotice.Status.FAILED, str(refusal)[:200]
                failed += 1
            else:
                notice.status, notice.paid_amount, notice.transfer = (
                    WithdrawalNotice.Status.PAID,
                    can,
                    result.public_id,
                )
                paid += 1
                _tell_paid(notice, fund, can)
            notice.settled_at = timezone.now()
            notice.save()
    return {"paid": paid, "failed": failed}


def automatic_run(today: date | None = None) -> dict:
    """Take every automatic saving due on or before `today` from the wallet (daily). One
    transfer per fund and date (idempotency key `lending:fund:<fund>:auto:<date>`: a run
    retried, or run twice the same day, moves money once). A wallet short of money or frozen:
    that saving is missed (counted, the saver is told), the next date still set. Dates
    missed while the run did not run are not caught up: one saving per run per fund."""
    today = _today(today)
    saved = missed = 0
    due = list(
        EmergencyFund.objects.filter(
            status=EmergencyFund.Status.OPEN, auto_amount__gt=0, auto_next_on__lte=today
        ).values_list("pk", flat=True)
    )
    for pk in due:
        with transaction.atomic():
            fund = (
                EmergencyFund.objects.select_for_update()
                .select_related("user")
                .filter(pk=pk, auto_amount__gt=0, auto_next_on__lte=today)
                .first()
            )
            if fund is None:
                continue
            on = fund.auto_next_on
            try:
                with transaction.atomic():
                    wallet.to_own_savings(
                        user=fund.user,
                        account=fund.account,
                        amount=fund.auto_amount,
                        currency=fund.currency,
                        idempotency_key=f"lending:fund:{fund.public_id}:auto:{on.isoformat()}",
                        code=CODE_AUTO,
                        reference=f"lending.EmergencyFund:{fund.public_id}",
                    )
            except (wallet.WalletFrozen, wallet.WalletClosed, ledger.InsufficientFunds):
                fund.auto_missed += 1
                missed += 1
                _tell_missed(fund, on)
            else:
                fund.auto_missed = 0
                saved += 1
            nxt = _next_date(on, fund.auto_frequency)
            while nxt <= today:
                nxt = _next_date(nxt, fund.auto_frequency)
            fund.auto_next_on = nxt
            fund.save(update_fields=["auto_missed", "auto_next_on", "updated_at"])
    return {"saved": saved, "missed": missed}


def _tell_paid(notice: WithdrawalNotice, fund: EmergencyFund, amount: int) -> None:
    from apps.notifications import api as notifications

    from ..messages import LENDING_FUND_WITHDRAWAL_PAID

    transaction.on_commit(
        lambda: notifications.send(
            str(fund.user.public_id),
            LENDING_FUND_WITHDRAWAL_PAID,
            {"amount": {"amount": amount, "currency": fund.currency}},
            idempotency_key=f"lending:fund:notice:{notice.public_id}:paid",
        ),
        robust=True,
    )


def _tell_missed(fund: EmergencyFund, on: date) -> None:
    from apps.notifications import api as notifications

    from ..messages import LENDING_FUND_SAVING_MISSED

    transaction.on_commit(
        lambda: notifications.send(
            str(fund.user.public_id),
            LENDING_FUND_SAVING_MISSED,
            {"amount": {"amount": fund.auto_amount, "currency": fund.currency}},
            idempotency_key=f"lending:fund:{fund.public_id}:missed:{on.isoformat()}",
        ),
        robust=True,
    )


def fund_debit(
    *,
    user,
    currency: str,
    amount: int,
    to_account,
    idempotency_key: str,
    code: str = CODE_REPAYMENT,
    reference: str = "",
    description: str = "",
) -> TransferResult:
    """A repayment from the user's emergency fund: one ledger transfer fund -> `to_account`
    (a loan's account), idempotent on `idempotency_key` (used as given). Only what is
    available: pledged savings (holds) and withdrawals under notice are never taken
    (FundNotEnough). FundNotFound, FundClosed. Call it inside the repayment's transaction."""
    amount = _positive(amount)
    fund = fund_of(user, currency)
    if fund is None:
        raise FundNotFound(field="fund")
    with transaction.atomic():
        fund = _locked(fund)
        _open(fund)
        legs = [Leg.debit(fund.account, amount, currency), Leg.credit(to_account, amount, currency)]
        try:
            with transaction.atomic():
                replay = ledger.transfer(
                    idempotency_key=idempotency_key,
                    code=code,
                    legs=legs,
                    reference=reference or f"lending.EmergencyFund:{fund.public_id}",
                    description=description,
                )
        except ledger.InsufficientFunds:
            raise FundNotEnough(field="amount") from None
        if not replay.replayed and _under_notice(fund) > ledger.balance(account=fund.account).available:
            raise FundNotEnough(field="amount")  # it would eat a withdrawal under notice: rolled back
        return replay


def _months_since(start: date, today: date) -> int:
    return (today.year - start.year) * 12 + today.month - start.month + 1


def fund_info(fund: EmergencyFund, *, today: date | None = None) -> EmergencyFundInfo:
    balance = ledger.balance(account=fund.account)
    under_notice = _under_notice(fund)
    opened = timezone.localdate(fund.created_at)
    return EmergencyFundInfo(
        public_id=str(fund.public_id),
        user=str(fund.user.public_id),
        currency=fund.currency,
        account=str(fund.account),
        balance=balance.posted,
        pledged=balance.posted - balance.available,
        available=max(balance.available - under_notice, 0),
        goal=fund.goal,
        withdrawal_rule=WithdrawalRule(fund.withdrawal_rule),
        notice_days=fund.notice_days,
        auto_amount=fund.auto_amount,
        auto_frequency=fund.auto_frequency,
        opened_on=opened,
        months_saving=_months_since(opened, _today(today)),
    )


def emergency_fund_for(user, currency: str = "XOF") -> EmergencyFundInfo | None:
    """The user's emergency fund as underwriting reads it, or None (no fund)."""
    try:
        fund = fund_of(user, currency)
    except (FundNotFound, NotFound, ValueError):
        return None
    if fund is None:
        return None
    return fund_info(fund)
