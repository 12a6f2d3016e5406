"""The wallet's primitives: every other part (P2P, tontine, split, safeguarding, lending) moves
money with these and nothing else (docs/wallet.md, "The wallet").

    wallet_for(user, currency="XOF") -> Wallet        get or create (ledger user_wallet account)
    ensure_usable(wallet)                              WalletFrozen / WalletClosed
    move(idempotency_key=…, code=…, debit=…, credit=…, amount=…, currency=…,
         out_of=None, into=None, kyc_operation=None, …) -> ledger TransferResult
    usage(user, currency) -> kyc Usage                 the stored totals, O(1) reads

`move` posts one balanced ledger transfer; the wallets on either side are locked (their usage
rows, `SELECT … FOR UPDATE`), checked usable, checked against kyc's limits with the locked
totals (so two concurrent moves cannot both pass a daily limit), and their totals updated in
the same transaction. A replay (same idempotency key, same content) moves nothing and updates
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from uuid import UUID

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from apps.kyc import api as kyc
from apps.kyc.contracts import INFLOW_OPERATIONS, OUTFLOW_OPERATIONS, Operation, Usage
from apps.ledger import api as ledger
from apps.ledger.contracts import Leg, TransferResult

from ..contracts import WalletInfo, WalletStatus
from ..errors import InvalidAmount, WalletClosed, WalletFrozen
from ..models import Wallet, WalletUsage

__all__ = [
    "ensure_usable",
    "held_balance",
    "lock_usage",
    "move",
    "record_inflow",
    "record_outflow",
    "release_outflow",
    "usage",
    "usage_of_wallet",
    "wallet_for",
    "wallet_info",
    "WalletUsageSource",
]

# Codes of the accounts that count in a user's e-money balance for kyc's maximum balance:
# the wallet itself and the user's own accounts under `wallet.` (HokweSplit vaults). A
# tontine pot is the group's money, not the member's: it does not count.
WALLET_CODE = "wallet"
USER_SAVINGS_PREFIX = "wallet.vault."


def _user_row(user):
    """A user model instance from a user, an identity UserInfo or a public id."""
    if getattr(user, "pk", None) is not None and hasattr(user, "public_id") and hasattr(user, "_meta"):
        return user
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if getattr(user, "id", None) is not None and hasattr(user, "public_id"):
        return User.objects.get(pk=user.id)
    return User.objects.get(public_id=UUID(str(user)))


def wallet_for(user, currency: str = "XOF") -> Wallet:
    """The user's wallet in `currency`, created on first use with its ledger account (the
    ledger's `user_wallet`, a liability that cannot go below zero) and its usage row."""
    user = _user_row(user)
    found = Wallet.objects.filter(user_id=user.pk, currency=currency).first()
    if found is not None:
        return found
    account = ledger.user_wallet(user=user.public_id, currency=currency)
    try:
        with transaction.atomic():
            wallet = Wallet.objects.create(
                user_id=user.pk, currency=currency, account=account.public_id, last_activity_at=timezone.now()
            )
            WalletUsage.objects.create(wallet=wallet)
    except IntegrityError:
        wallet = Wallet.objects.get(user_id=user.pk, currency=currency)
    return wallet


def ensure_usable(wallet: Wallet) -> None:
    """Refuse every movement of a frozen or closed wallet."""
    if wallet.status == Wallet.Status.FROZEN:
        raise WalletFrozen(field="wallet")
    if wallet.status == Wallet.Status.CLOSED:
        raise WalletClosed(field="wallet")


def held_balance(user_public_id: UUID, currency: str) -> int:
    """The user's e-money balance (posted) for kyc's maximum balance: the wallet plus the
    user's own HokweSplit vaults (`wallet.vault.…` accounts owned by the user). One read of
    the ledger's stored totals (`ledger.balance_totals`), no history sums."""
    for total in ledger.balance_totals(
        codes=[WALLET_CODE], prefixes=[USER_SAVINGS_PREFIX], user=user_public_id
    ):
        if total.currency == currency:
            return total.posted
    return 0


def _today() -> date:
    return timezone.localdate()


def _month(day: date) -> date:
    return day.replace(day=1)


def _current(row: WalletUsage, today: date) -> tuple[int, int]:
    """(outflow today, inflow this month) of a row, rolled over lazily."""
    outflow = row.outflow_today if row.day == today else 0
    inflow = row.inflow_this_month if row.month == _month(today) else 0
    return outflow, inflow


_USAGE_FIELDS = ["outflow_today", "day", "month", "inflow_this_month"]


def _add_outflow(row: WalletUsage, amount: int, today: date) -> None:
    outflow, _inflow = _current(row, today)
    row.outflow_today = outflow + amount
    row.day = today
    if row.month != _month(today):
        row.month, row.inflow_this_month = _month(today), 0


def _add_inflow(row: WalletUsage, amount: int, today: date) -> None:
    _outflow, inflow = _current(row, today)
    row.inflow_this_month = inflow + amount
    row.month = _month(today)
    if row.day != today:
        row.day, row.outflow_today = today, 0


def count_outflow(row: WalletUsage, amount: int, today: date) -> None:
    """Add `amount` to a locked usage row's outflow today (rolling the day and month over)."""
    _add_outflow(row, amount, today)
    row.save(update_fields=_USAGE_FIELDS)


def count_inflow(row: WalletUsage, amount: int, today: date) -> None:
    """Add `amount` to a locked usage row's inflow this month (rolling the day and month over)."""
    _add_inflow(row, amount, today)
    row.save(update_fields=_USAGE_FIELDS)


def usage_of_wallet(wallet: Wallet, *, row: WalletUsage | None = None, with_balance: bool = True) -> Usage:
    """kyc's Usage of one wallet. `row`: its usage row when the caller has it (else read);
    `with_balance=False` for an outflow check, which never reads the balance (kyc's rules:
    only money coming in is held against the maximum balance): one ledger read saved."""
    today = _today()
    if row is None:
        row = WalletUsage.objects.filter(wallet=wallet).first() or WalletUsage(wallet=wallet)
    outflow, inflow = _current(row, today)
    return Usage(
        balance=held_balance(wallet.user.public_id, wallet.currency) if with_balance else 0,
        inflow_this_month=inflow,
        outflow_today=outflow,
    )


def usage(user, currency: str) -> Usage:
    """kyc's Usage of the user in `currency`: balance (wallet + own vaults), inflow this
    month, outflow today, from stored totals. A user without a wallet has used nothing."""
    user = _user_row(user)
    wallet = Wallet.objects.filter(user_id=user.pk, currency=currency).select_related("user").first()
    if wallet is None:
        return Usage()
    return usage_of_wallet(wallet)


class WalletUsageSource:
    """kyc's UsageSource (registered in apps.py ready()). kyc asks it only when a module
    below the wallet checks an e-money movement without the totals (payments' pay_with_wallet,
    an intent crediting a wallet): a frozen or closed wallet is refused there too."""

    def usage(self, *, user_public_id: str, currency: str) -> Usage:
        user = _user_row(user_public_id)
        wallet = Wallet.objects.filter(user_id=user.pk, currency=currency).select_related("user").first()
        if wallet is None:
            return Usage()
        ensure_usable(wallet)
        return usage_of_wallet(wallet)


def wallet_info(wallet: Wallet) -> WalletInfo:
    balance = ledger.balance(account=wallet.account)
    return WalletInfo(
        public_id=wallet.public_id,
        user=wallet.user.public_id,
        currency=wallet.currency,
        account=wallet.account,
        status=WalletStatus(wallet.status),
        balance=balance.posted,
        available=balance.available,
        dormant_since=wallet.dormant_since,
    )


def lock_usage(wallets: list[Wallet]) -> dict[int, WalletUsage]:
    """Lock the usage and wallet rows of `wallets` (see `_locked`) inside the caller's
    transaction: {wallet pk: usage row, with `.wallet` and `.wallet.user`}. Pass the result
    to `move(locked=…)` so the move does not lock and read them again."""
    return _locked(wallets)


def _locked(wallets: list[Wallet]) -> dict[int, WalletUsage]:
    """Lock the usage rows and the wallet rows of `wallets` (in primary-key order: no
    deadlock between two moves in opposite directions); create a missing usage row."""
    ids = sorted({w.pk for w in wallets})
    rows = {
        r.wallet_id: r
        for r in WalletUsage.objects.select_for_update(of=("self", "wallet"))
        .select_related("wallet__user")
        .filter(wallet_id__in=ids)
        .order_by("wallet_id")
    }
    missing = [i for i in ids if i not in rows]
    for wallet_id in missing:
        WalletUsage.objects.get_or_create(wallet_id=wallet_id)
    if missing:
        rows = {
            r.wallet_id: r
            for r in WalletUsage.objects.select_for_update(of=("self", "wallet"))
            .select_related("wallet__user")
            .filter(wallet_id__in=ids)
            .order_by("wallet_id")
        }
    return rows


def _outflow_operation(kyc_operation: str) -> Operation:
    op = Operation(kyc_operation)
    return op if op in OUTFLOW_OPERATIONS else Operation.TRANSFER_OUT


def _inflow_operation(kyc_operation: str) -> Operation:
    op = Operation(kyc_operation)
    return op if op in INFLOW_OPERATIONS else Operation.TRANSFER_IN


def move(
    *,
    idempotency_key: str,
    code: str,
    debit: UUID,
    credit: UUID,
    amount: int,
    currency: str,
    out_of: Wallet | None = None,
    into: Wallet | None = None,
    kyc_operation: str | None = None,
    description: str = "",
    reference: str = "",
    metadata: Mapping | None = None,
    record_usage: bool = True,
    locked: Mapping[int, WalletUsage] | None = None,
    kyc_reads=None,
    savepoint: bool = True,
) -> TransferResult:
    """One balanced ledger transfer of `amount` from account `debit` to account `credit`.

    `out_of` / `into`: the wallets on either side, if any. Each is checked usable (frozen,
    closed: refused). With `kyc_operation`, kyc's limits bind: `out_of` is checked as an
    outflow (the operation if it is one, else transfer_out) and `into` as an inflow (the
    operation if it is one, else transfer_in), against the totals read under the lock.
    `record_usage=False` (moves between a user's own wallet and own vault) checks usability
    but leaves the totals alone. The wallets' totals and last activity are updated in the same
    transaction; a user's own movement out of the wallet, or their own top-up, wakes a dormant
    wallet (receiving money does not count as activity).

    Idempotent on `idempotency_key`: a replay returns the first result (`replayed=True`) and
    changes nothing. Raises WalletFrozen, WalletClosed, kyc's KycLimitExceeded, ledger's
    InsufficientFunds, InvalidAmount.

    For a hot path (P2P), all optional: `locked`, the usage rows the caller already locked in
    its transaction (`lock_usage`: not locked and read again); `kyc_reads`, kyc's per-call
    `limit_reads` of the users (their tier and limits not read again); `savepoint=False`
    when the caller's transaction rolls back on any error of the move anyway (no SAVEPOINT
    round trips; never for a caller that catches a refusal and goes on in its transaction)."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidAmount(field="amount")
    for side in (out_of, into):
        if side is not None and side.currency != currency:
            raise ledger.CurrencyMismatch(field="currency")
    legs = [Leg.debit(debit, amount, currency), Leg.credit(credit, amount, currency)]
    wallets = [w for w in (out_of, into) if w is not None]
    with transaction.atomic(savepoint=savepoint):
        if locked is not None and all(w.pk in locked for w in wallets):
            rows = dict(locked)
        else:
            rows = _locked(wallets) if wallets else {}
        # status under the lock: a freeze committed before us is seen
        for wallet in wallets:
            ensure_usable(rows[wallet.pk].wallet)
        today = _today()
        before: dict[int, Usage] = {}
        if kyc_operation is not None:
            for wallet in wallets:
                outflow, inflow = _current(rows[wallet.pk], today)
                before[wallet.pk] = Usage(
                    balance=held_balance(rows[wallet.pk].wallet.user.public_id, currency)
                    if wallet is into
                    else 0,
                    inflow_this_month=inflow,
                    outflow_today=outflow,
                )
        result = ledger.transfer(
            idempotency_key=idempotency_key,
            code=code,
            legs=legs,
            description=description,
            reference=reference,
            metadata=metadata,
        )
        if result.replayed:
            return result
        if kyc_operation is not None:
            # after the transfer (a replay must not be refused by its own first run); a
            # refusal rolls the transfer back with this block
            check = kyc_reads.check if kyc_reads is not None else kyc.check
            if out_of is not None:
                check(
                    rows[out_of.pk].wallet.user,
                    _outflow_operation(kyc_operation),
                    amount,
                    currency=currency,
                    usage=before[out_of.pk],
                )
            if into is not None:
                check(
                    rows[into.pk].wallet.user,
                    _inflow_operation(kyc_operation),
                    amount,
                    currency=currency,
                    usage=before[into.pk],
                )
        now = timezone.now()
        counted = []
        if out_of is not None and record_usage:
            _add_outflow(rows[out_of.pk], amount, today)
            counted.append(rows[out_of.pk])
        if into is not None and record_usage:
            _add_inflow(rows[into.pk], amount, today)
            counted.append(rows[into.pk])
        _write_usage(counted, woken=out_of.pk if out_of is not None else None, now=now)
        if out_of is not None:
            out_of.last_activity_at, out_of.dormant_since = now, None
        if into is not None:
            if kyc_operation == Operation.WALLET_TOPUP:
                Wallet.objects.filter(pk=into.pk).update(
                    last_activity_at=now, dormant_since=None, updated_at=now
                )
                into.last_activity_at, into.dormant_since = now, None
    return result


# The usage rows of a move (one or two, locked) and the sender's activity, in ONE statement:
# `move` is the hot path of P2P, where every round trip counts (docs/performance.md).
_USAGE_VALUES = "(%s::bigint, %s::date, %s::bigint, %s::date, %s::bigint)"
_USAGE_UPDATE = """
UPDATE wallet_walletusage AS u
   SET day = v.day, outflow_today = v.outflow_today, month = v.month,
       inflow_this_month = v.inflow_this_month
  FROM (VALUES {values}) AS v(wallet_id, day, outflow_today, month, inflow_this_month)
 WHERE u.wallet_id = v.wallet_id
"""
_WAKE = "UPDATE wallet_wallet SET last_activity_at = %s, dormant_since = NULL, updated_at = %s WHERE id = %s"
_USAGE_UPDATE_AND_WAKE = """
WITH counted AS (
    UPDATE wallet_walletusage AS u
       SET day = v.day, outflow_today = v.outflow_today, month = v.month,
           inflow_this_month = v.inflow_this_month
      FROM (VALUES {values}) AS v(wallet_id, day, outflow_today, month, inflow_this_month)
     WHERE u.wallet_id = v.wallet_id
 RETURNING 1
)
UPDATE wallet_wallet SET last_activity_at = %s, dormant_since = NULL, updated_at = %s WHERE id = %s
"""


def _write_usage(rows: list[WalletUsage], *, woken: int | None, now) -> None:
    """Save the usage totals of `rows` (the four usage fields) and, with `woken`, wake that
    wallet (last activity now, not dormant): one statement for all of it on PostgreSQL; the
    ORM's two on the embedded default (SQLite has no `::` casts)."""
    if connection.vendor != "postgresql":
        if rows:
            WalletUsage.objects.bulk_update(rows, ["day", "outflow_today", "month", "inflow_this_month"])
        if woken is not None:
            Wallet.objects.filter(pk=woken).update(last_activity_at=now, dormant_since=None, updated_at=now)
        return
    params: list = []
    for row in rows:
        params += [row.wallet_id, row.day, row.outflow_today, row.month, row.inflow_this_month]
    values = ", ".join([_USAGE_VALUES] * len(rows))
    if rows and woken is not None:
        sql, params = _USAGE_UPDATE_AND_WAKE.format(values=values), [*params, now, now, woken]
    elif rows:
        sql = _USAGE_UPDATE.format(values=values)
    elif woken is not None:
        sql, params = _WAKE, [now, now, woken]
    else:
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def record_outflow(wallet: Wallet, amount: int, *, kyc_operation: str = Operation.WALLET_PAYMENT) -> date:
    """For money leaving a wallet by another module's posting (payments' intent paid from the
    wallet, a payout's hold): inside the caller's transaction, lock the wallet's usage row,
    check it usable and kyc's outflow limit against the locked totals, then count `amount` in
    today's outflow and wake the wallet. Returns the day it was counted on (to give it back
    with `release_outflow` if the money does not leave after all)."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidAmount(field="amount")
    rows = _locked([wallet])
    row = rows[wallet.pk]
    ensure_usable(row.wallet)
    today = _today()
    outflow, _inflow = _current(row, today)
    kyc.check(
        row.wallet.user,
        _outflow_operation(kyc_operation),
        amount,
        currency=wallet.currency,
        usage=Usage(balance=0, inflow_this_month=_inflow, outflow_today=outflow),
    )
    count_outflow(row, amount, today)
    now = timezone.now()
    Wallet.objects.filter(pk=wallet.pk).update(last_activity_at=now, dormant_since=None, updated_at=now)
    return today


def release_outflow(wallet: Wallet, amount: int, *, day: date | None) -> None:
    """Give back an outflow counted by `record_outflow` on `day` (a withdrawal that failed):
    only while that day is still the row's day (yesterday's outflow no longer counts)."""
    if day is None:
        return
    WalletUsage.objects.filter(wallet_id=wallet.pk, day=day).update(
        outflow_today=Greatest(F("outflow_today") - amount, 0)
    )


def record_inflow(wallet: Wallet, amount: int) -> None:
    """Count `amount` in this month's inflow (money another module's posting brought into the
    wallet: a top-up intent that succeeded). Inside the caller's transaction; row-locked."""
    rows = _locked([wallet])
    row = rows[wallet.pk]
    count_inflow(row, amount, _today())
    now = timezone.now()
    Wallet.objects.filter(pk=wallet.pk).update(last_activity_at=now, dormant_since=None, updated_at=now)
