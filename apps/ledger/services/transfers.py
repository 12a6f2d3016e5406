"""The ledger's money writes: transfers, holds, posts, voids, reversals, batches.

Every write runs in one transaction:

1. the accounts it touches are locked with SELECT … FOR UPDATE, ordered by id, so two
   transfers over the same accounts always lock in the same order (no deadlock) and the
   totals read are the latest (no lost update);
2. the rules are checked against those totals, pending debits included;
3. the transfer row is inserted with ON CONFLICT (idempotency_key) DO NOTHING: a retry
   with the same key returns the first result, the same key with other content is a 409;
4. the postings are inserted with their per-account sequence and running balance, and the
   stored totals move by the same amounts in the same statement.

On PostgreSQL a plain transfer or a hold runs these four steps inside the database, in
one statement (`ledger_post_transfer`, migration 0004: one round trip). Posting or voiding
a hold and reversing a transfer also check the hold / reversal links, so they run the same
steps from here (`_write_locked`: lock, check, INSERT … ON CONFLICT, one WITH … UPDATE …
INSERT), as does everything on SQLite (the embedded dev profile). `transfer_many`
(batch.py) is set-based: COPY of the transfers and postings, one UPDATE … FROM unnest(…).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID, uuid4

import psycopg
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.money import EXPONENTS

from ..contracts import (
    BatchResult,
    Leg,
    Side,
    TransferKind,
    TransferRequest,
    TransferResult,
)
from ..errors import (
    AccountClosed,
    AccountNotFound,
    AlreadyReversed,
    CurrencyMismatch,
    HoldAlreadyResolved,
    HoldExpired,
    InsufficientFunds,
    InvalidTransfer,
    LimitExceeded,
    NotReversible,
    TransferNotFound,
    UnbalancedTransfer,
)
from ..models import MAX_CODE, Transfer, one

logger = logging.getLogger("hokwe.ledger")

MAX_AMOUNT = 10**15  # a quadrillion minor units per posting: far above any real movement
MAX_KEY = 200


# --- input checking (pure) ----------------------------------------------------------------


def _check_text(value: str, *, name: str, max_length: int, required: bool) -> str:
    if not isinstance(value, str):
        raise InvalidTransfer(_("%(field)s must be text.") % {"field": name}, field=name)
    if required and not value.strip():
        raise InvalidTransfer(_("%(field)s is required.") % {"field": name}, field=name)
    if len(value) > max_length:
        raise InvalidTransfer(
            _("%(field)s is too long (at most %(max)d characters).") % {"field": name, "max": max_length},
            field=name,
        )
    return value


_SIGNS = {Side.DEBIT: 1, Side.CREDIT: -1}  # a StrEnum member and its text are one key


def _check_legs(legs: Sequence[Leg]) -> tuple[Leg, ...]:
    legs = tuple(legs)
    if len(legs) < 2:
        raise InvalidTransfer(_("A transfer needs at least two postings."), field="legs")
    net: dict[str, int] = {}  # per currency, debits less credits (run for every batched transfer)
    for leg in legs:
        if not isinstance(leg, Leg):
            raise InvalidTransfer(_("Each posting must be a Leg."), field="legs")
        amount = leg.amount
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise InvalidTransfer(
                _("Amounts are whole numbers of the currency's smallest unit."), field="legs.amount"
            )
        if amount <= 0 or amount > MAX_AMOUNT:
            raise InvalidTransfer(_("Each posting amount must be positive."), field="legs.amount")
        currency = leg.currency
        if currency not in EXPONENTS:
            raise InvalidTransfer(
                _("Unknown currency: %(currency)s.") % {"currency": currency}, field="legs.currency"
            )
        if not isinstance(leg.account, UUID):
            raise InvalidTransfer(_("Accounts are named by their public id."), field="legs.account")
        sign = _SIGNS.get(leg.side) or _SIGNS[Side(leg.side)]  # Side(): a ValueError for anything else
        net[currency] = net.get(currency, 0) + sign * amount
    if any(net.values()):
        raise UnbalancedTransfer(field="legs")
    return legs


def _check_metadata(metadata: Mapping | None) -> dict:
    metadata = dict(metadata or {})
    try:
        encoded = json.dumps(metadata, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):
        raise InvalidTransfer(_("Metadata must be JSON values."), field="metadata") from None
    if len(encoded) > 8000:
        raise InvalidTransfer(_("Metadata is too large."), field="metadata")
    return metadata


# json.dumps with these options builds this encoder on every call: built once (same text).
_FINGERPRINT_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)


def _fingerprint(*parts) -> str:
    """Content hash of a request: what must be identical for a retry to be a retry."""
    return hashlib.sha256(_FINGERPRINT_JSON.encode(parts).encode()).hexdigest()


def _legs_fingerprint(legs: Iterable[Leg]) -> list:
    return [[str(leg.account), str(leg.side), leg.amount, leg.currency] for leg in legs]


# --- the write path -----------------------------------------------------------------------


@dataclass
class _Write:
    kind: TransferKind
    key: str
    fingerprint: str
    code: str
    description: str = ""
    reference: str = ""
    metadata: dict = field(default_factory=dict)
    legs: tuple[Leg, ...] = ()  # posted, or pending when kind == PENDING
    release: tuple[Leg, ...] = ()  # pending amounts a post/void gives back
    hold_id: int | None = None
    hold_public_id: UUID | None = None
    reverses_id: int | None = None
    reverses_public_id: UUID | None = None
    expires_at: datetime | None = None
    guard: Callable[[], None] | None = None  # extra checks run once the locks are held


@dataclass
class _Locked:
    id: int
    public_id: UUID
    currency: str
    kind: str
    dmnec: bool
    cmned: bool
    debits_posted: int
    credits_posted: int
    debits_pending: int
    credits_pending: int
    posting_count: int
    closed: bool


_LOCK_SQL = (
    "SELECT id, public_id, currency, kind, debits_must_not_exceed_credits, "
    "credits_must_not_exceed_debits, debits_posted, credits_posted, debits_pending, "
    "credits_pending, posting_count, closed_at IS NOT NULL FROM ledger_account "
    "WHERE public_id IN ({}) ORDER BY id"
)


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _uuid_param(value: UUID):
    return value if _pg() else value.hex


def _fast_cursor(django_cursor):
    """On PostgreSQL, a server-side-binding psycopg cursor on the same connection (and so in
    the same transaction): psycopg prepares a statement after a few executions, so the
    hot path's statements are parsed and planned once per connection, not per transfer."""
    if _pg():
        return psycopg.Cursor(connection.connection)
    return django_cursor


def _lock_accounts(cursor, public_ids: Iterable[UUID]) -> dict[UUID, _Locked]:
    ids = sorted(set(public_ids))
    sql = _LOCK_SQL.format(", ".join(["%s"] * len(ids)))
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    cursor.execute(sql, [_uuid_param(i) for i in ids])
    rows = {}
    for row in cursor.fetchall():
        public_id = row[1] if isinstance(row[1], UUID) else UUID(row[1])
        rows[public_id] = _Locked(row[0], public_id, *row[2:11], bool(row[11]))
    return rows


def _apply_rules(locked: dict[UUID, _Locked], legs, release, *, pending: bool) -> None:
    """Validate against the locked totals and move them in memory (the caller writes)."""
    for leg in (*legs, *release):
        account = locked.get(leg.account)
        if account is None:
            raise AccountNotFound(field="legs.account")
        if account.currency != leg.currency:
            raise CurrencyMismatch(field="legs.currency")
    for leg in release:
        account = locked[leg.account]
        if leg.side == Side.DEBIT:
            account.debits_pending -= leg.amount
        else:
            account.credits_pending -= leg.amount
    touched = []
    for leg in legs:
        account = locked[leg.account]
        if account.closed:
            raise AccountClosed(field="legs.account")
        if leg.side == Side.DEBIT:
            if pending:
                account.debits_pending += leg.amount
            else:
                account.debits_posted += leg.amount
        elif pending:
            account.credits_pending += leg.amount
        else:
            account.credits_posted += leg.amount
        touched.append(account)
    for account in touched:
        if account.dmnec and account.debits_posted + account.debits_pending > account.credits_posted:
            raise InsufficientFunds(field="legs.account")
        if account.cmned and account.credits_posted + account.credits_pending > account.debits_posted:
            raise LimitExceeded(field="legs.account")


_POST_SQL = (
    "SELECT status, new_id, new_created_at FROM ledger_post_transfer("
    "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_REFUSALS = {
    "account_not_found": AccountNotFound,
    "currency_mismatch": CurrencyMismatch,
    "account_closed": AccountClosed,
    "insufficient_funds": InsufficientFunds,
    "limit_exceeded": LimitExceeded,
}


def _write_in_database(w: _Write) -> TransferResult:
    """A plain transfer or a hold in one statement (migration 0004's function): one round
    trip, and no BEGIN/COMMIT of its own outside a transaction."""
    public_id = uuid4()
    legs = w.legs
    with connection.cursor() as django_cursor:
        cursor = _fast_cursor(django_cursor)
        cursor.execute(
            _POST_SQL,
            [
                public_id,
                w.key,
                w.fingerprint,
                str(w.kind),
                w.code,
                w.description,
                w.reference,
                json.dumps(w.metadata, sort_keys=True),
                w.expires_at,
                [leg.account for leg in legs],
                [leg.side == Side.DEBIT for leg in legs],
                [leg.amount for leg in legs],
                [leg.currency for leg in legs],
            ],
        )
        status, _new_id, created_at = cursor.fetchone()
    if status == "exists":
        return _replay(w.key, w.fingerprint)
    if status != "ok":
        raise _REFUSALS[status](field="legs.currency" if status == "currency_mismatch" else "legs.account")
    return TransferResult(
        public_id=public_id,
        idempotency_key=w.key,
        kind=w.kind,
        code=w.code,
        description=w.description,
        reference=w.reference,
        metadata=w.metadata,
        legs=legs,
        created_at=created_at,
        expires_at=w.expires_at,
    )


def _write(w: _Write) -> TransferResult:
    if (
        _pg()
        and w.kind in (TransferKind.POSTED, TransferKind.PENDING)
        and not (w.release or w.hold_id or w.reverses_id or w.guard)
    ):
        return _write_in_database(w)
    try:
        with transaction.atomic():
            return _write_locked(w)
    except (IntegrityError, psycopg.IntegrityError) as exc:
        # The unique constraints are the last line of defence behind the checks made under
        # the locks; a hit here means a concurrent writer got there first.
        message = str(exc)
        if "ledger_transfer_resolves_hold_once" in message or "(hold_id)" in message:
            raise HoldAlreadyResolved() from None
        if "ledger_transfer_reversed_once" in message or "(reverses_id)" in message:
            raise AlreadyReversed() from None
        if "idempotency_key" in message:
            return _replay(w.key, w.fingerprint)
        raise


def _write_locked(w: _Write) -> TransferResult:
    public_ids = {leg.account for leg in w.legs} | {leg.account for leg in w.release}
    with connection.cursor() as django_cursor:
        cursor = _fast_cursor(django_cursor)
        locked = _lock_accounts(cursor, public_ids)
        before = {
            a.id: (a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending)
            for a in locked.values()
        }
        try:
            if w.guard is not None:
                w.guard()
            _apply_rules(locked, w.legs, w.release, pending=w.kind == TransferKind.PENDING)
        except (InvalidTransfer, AccountNotFound, AccountClosed, InsufficientFunds, LimitExceeded) as exc:
            # A retry of a request that already succeeded must get the first result, even
            # when the funds it used are gone now.
            if Transfer.objects.filter(idempotency_key=w.key).exists():
                return _replay(w.key, w.fingerprint)
            raise exc
        except (HoldAlreadyResolved, AlreadyReversed) as exc:
            if Transfer.objects.filter(idempotency_key=w.key).exists():
                return _replay(w.key, w.fingerprint)
            raise exc

        # Postings with their per-account sequence and running posted balance.
        pending = w.kind == TransferKind.PENDING
        counters = {a.id: [a.posting_count, *before[a.id][:2]] for a in locked.values()}
        posting_rows = []  # (account, sequence, is_debit, amount, currency, pending, code, balance_after)
        for leg in w.legs:
            account = locked[leg.account]
            counter = counters[account.id]
            counter[0] += 1
            debit = leg.side == Side.DEBIT
            if not pending:
                counter[1 if debit else 2] += leg.amount
            posting_rows.append(
                (
                    account.id,
                    counter[0],
                    debit,
                    leg.amount,
                    leg.currency,
                    pending,
                    w.code,
                    counter[1] - counter[2],
                )
            )
        updates = []
        for account in locked.values():
            old = before[account.id]
            delta = (
                account.debits_posted - old[0],
                account.credits_posted - old[1],
                account.debits_pending - old[2],
                account.credits_pending - old[3],
                counters[account.id][0] - account.posting_count,
            )
            if any(delta):
                updates.append((account.id, *delta))

        public_id = uuid4()
        transfer_params = [
            _uuid_param(public_id),
            w.key,
            w.fingerprint,
            str(w.kind),
            w.code,
            w.description,
            w.reference,
            json.dumps(w.metadata, sort_keys=True),
            w.hold_id,
            w.reverses_id,
            connection.ops.adapt_datetimefield_value(w.expires_at),
        ]
        if _pg():
            row = _store_pg(cursor, transfer_params, posting_rows, updates)
        else:
            row = _store_portable(cursor, transfer_params, posting_rows, updates)
        if row is None:  # the key exists: a retry (or a misuse of the key)
            return _replay(w.key, w.fingerprint)

    return TransferResult(
        public_id=public_id,
        idempotency_key=w.key,
        kind=w.kind,
        code=w.code,
        description=w.description,
        reference=w.reference,
        metadata=w.metadata,
        legs=w.legs,
        created_at=row[1],
        expires_at=w.expires_at,
        hold=w.hold_public_id,
        reverses=w.reverses_public_id,
    )


_INSERT_TRANSFER = (
    "INSERT INTO ledger_transfer (public_id, idempotency_key, fingerprint, kind, code, description, "
    "reference, metadata, hold_id, reverses_id, expires_at, created_at, updated_at) VALUES "
    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, {now}, {now}) "
    "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, created_at"
)


def _update_totals_sql(updates: list[tuple], *, only_if: str = "") -> tuple[str, list]:
    """UPDATE moving each account's totals by its deltas (id, dp, cp, dpe, cpe, count)."""
    columns = ("debits_posted", "credits_posted", "debits_pending", "credits_pending", "posting_count")
    sets, params = [], []
    for index, column in enumerate(columns, start=1):
        cases = " ".join(["WHEN CAST(%s AS BIGINT) THEN CAST(%s AS BIGINT)"] * len(updates))
        sets.append(f"{column} = {column} + CASE id {cases} ELSE 0 END")
        for update in updates:
            params += [update[0], update[index]]
    ids = ", ".join(["%s"] * len(updates))
    params += [u[0] for u in updates]
    return f"UPDATE ledger_account SET {', '.join(sets)} WHERE id IN ({ids}){only_if}", params  # noqa: S608


def _store_pg(cursor, transfer_params: list, posting_rows: list[tuple], updates: list[tuple]):
    """One statement: the transfer, its postings and the totals, or nothing at all when the
    idempotency key exists (every step depends on the transfer row being inserted)."""
    sql = [f"WITH t AS ({_INSERT_TRANSFER.format(now='clock_timestamp()')})"]
    params = list(transfer_params)
    if updates:
        update_sql, update_params = _update_totals_sql(updates, only_if=" AND EXISTS (SELECT 1 FROM t)")
        sql.append(f", moved AS ({update_sql} RETURNING 1)")
        params += update_params
    if posting_rows:
        values = ", ".join(
            [
                "(%s::bigint, %s::bigint, %s::boolean, %s::bigint, %s::varchar, %s::boolean, %s::varchar, %s::bigint)"
            ]
            * len(posting_rows)
        )
        sql.append(
            ", p AS (INSERT INTO ledger_posting (transfer_id, account_id, sequence, is_debit, amount, currency, "  # noqa: S608
            "pending, code, balance_after, created_at) "
            f"SELECT t.id, v.a, v.s, v.d, v.m, v.c, v.p, v.k, v.b, t.created_at FROM t, (VALUES {values}) "
            "AS v(a, s, d, m, c, p, k, b) RETURNING 1)"
        )
        for row in posting_rows:
            params += row
    sql.append(" SELECT id, created_at FROM t")
    cursor.execute("".join(sql), params)
    return cursor.fetchone()


def _store_portable(cursor, transfer_params: list, posting_rows: list[tuple], updates: list[tuple]):
    """The same writes as separate statements (SQLite, the embedded dev profile)."""
    now = timezone.now()
    db_now = connection.ops.adapt_datetimefield_value(now)
    cursor.execute(_INSERT_TRANSFER.format(now="%s"), [*transfer_params, db_now, db_now])
    row = cursor.fetchone()
    if row is None:
        return None
    if updates:
        cursor.execute(*_update_totals_sql(updates))
    if posting_rows:
        cursor.execute(
            "INSERT INTO ledger_posting (transfer_id, account_id, sequence, is_debit, amount, currency, "  # noqa: S608
            "pending, code, balance_after, created_at) VALUES "
            + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(posting_rows)),
            [value for r in posting_rows for value in (row[0], *r, db_now)],
        )
    return row[0], now


def _replay(key: str, fingerprint: str) -> TransferResult:
    from ..selectors import transfer_result  # selectors sit below services

    existing = one(Transfer.objects.filter(idempotency_key=key))
    if existing is None:  # pragma: no cover - the caller saw the key a moment ago
        raise TransferNotFound()
    if existing.fingerprint != fingerprint:
        from apps.core.errors import IdempotencyConflict

        raise IdempotencyConflict(field="idempotency_key")
    return transfer_result(existing, replayed=True)


# --- public services ----------------------------------------------------------------------


def transfer_create(
    *,
    idempotency_key: str,
    code: str,
    legs: Sequence[Leg],
    description: str = "",
    reference: str = "",
    metadata: Mapping | None = None,
) -> TransferResult:
    key = _check_text(idempotency_key, name="idempotency_key", max_length=MAX_KEY, required=True)
    code = _check_text(code, name="code", max_length=MAX_CODE, required=True)
    description = _check_text(description, name="description", max_length=500, required=False)
    reference = _check_text(reference, name="reference", max_length=200, required=False)
    legs = _check_legs(legs)
    metadata = _check_metadata(metadata)
    fingerprint = _fingerprint("posted", code, description, reference, metadata, _legs_fingerprint(legs))
    return _write(
        _Write(
            kind=TransferKind.POSTED,
            key=key,
            fingerprint=fingerprint,
            code=code,
            description=description,
            reference=reference,
            metadata=metadata,
            legs=legs,
        )
    )


def hold_create(
    *,
    idempotency_key: str,
    code: str,
    legs: Sequence[Leg],
    timeout_seconds: int | None = None,
    description: str = "",
    reference: str = "",
    metadata: Mapping | None = None,
) -> TransferResult:
    key = _check_text(idempotency_key, name="idempotency_key", max_length=MAX_KEY, required=True)
    code = _check_text(code, name="code", max_length=MAX_CODE, required=True)
    description = _check_text(description, name="description", max_length=500, required=False)
    reference = _check_text(reference, name="reference", max_length=200, required=False)
    legs = _check_legs(legs)
    metadata = _check_metadata(metadata)
    if timeout_seconds is not None and (
        isinstance(timeout_seconds, bool) or not isinstance(timeout_seconds, int) or timeout_seconds <= 0
    ):
        raise InvalidTransfer(_("The timeout must be a positive number of seconds."), field="timeout_seconds")
    fingerprint = _fingerprint(
        "pending", code, description, reference, metadata, _legs_fingerprint(legs), timeout_seconds
    )
    expires_at = timezone.now() + timedelta(seconds=timeout_seconds) if timeout_seconds else None
    return _write(
        _Write(
            kind=TransferKind.PENDING,
            key=key,
            fingerprint=fingerprint,
            code=code,
            description=description,
            reference=reference,
            metadata=metadata,
            legs=legs,
            expires_at=expires_at,
        )
    )


def _hold_for_update(hold_public_id: UUID) -> tuple[Transfer, tuple[Leg, ...]]:
    hold = one(Transfer.objects.filter(public_id=hold_public_id, kind=TransferKind.PENDING))
    if hold is None:
        raise TransferNotFound(field="hold")
    legs = tuple(
        Leg(
            account=p.account.public_id,
            side=Side.DEBIT if p.is_debit else Side.CREDIT,
            amount=p.amount,
            currency=p.currency,
        )
        for p in hold.postings.select_related("account").order_by("id")
    )
    return hold, legs


def _resolution_guard(hold: Transfer, *, check_expiry: bool) -> Callable[[], None]:
    def guard():
        if Transfer.objects.filter(hold_id=hold.id).exists():
            raise HoldAlreadyResolved(field="hold")
        if check_expiry and hold.expires_at is not None and hold.expires_at <= timezone.now():
            raise HoldExpired(field="hold")

    return guard


def hold_post(
    *, hold: UUID, amount: int | None = None, description: str = "", metadata: Mapping | None = None
) -> TransferResult:
    """Post a hold, fully or (`amount`, two-posting holds only) for less. Once."""
    description = _check_text(description, name="description", max_length=500, required=False)
    metadata = _check_metadata(metadata)
    held, held_legs = _hold_for_update(hold)
    legs = held_legs
    if amount is not None:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise InvalidTransfer(_("The amount to post must be positive."), field="amount")
        if len(held_legs) != 2:
            raise InvalidTransfer(_("Only a hold with two postings can be posted for less."), field="amount")
        if amount > held_legs[0].amount:
            raise InvalidTransfer(_("A hold cannot be posted for more than it holds."), field="amount")
        legs = tuple(Leg(leg.account, leg.side, amount, leg.currency) for leg in held_legs)
    fingerprint = _fingerprint("post_pending", str(held.public_id), _legs_fingerprint(legs))
    return _write(
        _Write(
            kind=TransferKind.POST_PENDING,
            key=f"post:{held.public_id}",
            fingerprint=fingerprint,
            code=held.code,
            description=description or held.description,
            reference=held.reference,
            metadata=metadata,
            legs=legs,
            release=held_legs,
            hold_id=held.id,
            hold_public_id=held.public_id,
            guard=_resolution_guard(held, check_expiry=True),
        )
    )


def hold_void(*, hold: UUID, reason: str = "voided") -> TransferResult:
    """Release a hold. Voiding a voided (or expired) hold again returns the first void."""
    held, held_legs = _hold_for_update(hold)
    return _write(
        _Write(
            kind=TransferKind.VOID_PENDING,
            key=f"void:{held.public_id}",
            fingerprint=_fingerprint("void_pending", str(held.public_id)),
            code=held.code,
            description=held.description,
            reference=held.reference,
            metadata={"reason": reason},
            release=held_legs,
            hold_id=held.id,
            hold_public_id=held.public_id,
            guard=_resolution_guard(held, check_expiry=False),
        )
    )


def holds_expire(*, now: datetime | None = None, limit: int = 500) -> int:
    """Void the holds whose timeout has passed (the beat sweep). Returns how many."""
    from apps.core.outbox import publish

    from ..events import HoldExpired as HoldExpiredEvent

    now = now or timezone.now()
    expired = list(
        Transfer.objects.filter(kind=TransferKind.PENDING, expires_at__lte=now, resolutions__isnull=True)
        .order_by("expires_at")
        .values_list("public_id", "code", "reference")[:limit]
    )
    count = 0
    for public_id, code, reference in expired:
        try:
            with transaction.atomic():
                result = hold_void(hold=public_id, reason="expired")
                if not result.replayed:
                    publish(HoldExpiredEvent(hold=str(public_id), code=code, reference=reference))
                    count += 1
        except HoldAlreadyResolved:
            continue  # posted or voided meanwhile
    return count


def transfer_reverse(
    *, transfer: UUID, description: str = "", metadata: Mapping | None = None
) -> TransferResult:
    """A correction: a new transfer with every posting of `transfer` on the other side,
    linked to it. A transfer is reversed at most once."""
    description = _check_text(description, name="description", max_length=500, required=False)
    metadata = _check_metadata(metadata)
    original = one(Transfer.objects.filter(public_id=transfer))
    if original is None:
        raise TransferNotFound(field="transfer")
    if original.kind not in (TransferKind.POSTED, TransferKind.POST_PENDING):
        raise NotReversible(field="transfer")
    legs = tuple(
        Leg(
            account=p.account.public_id,
            side=Side.CREDIT if p.is_debit else Side.DEBIT,
            amount=p.amount,
            currency=p.currency,
        )
        for p in original.postings.select_related("account").order_by("id")
    )

    def guard():
        if Transfer.objects.filter(reverses_id=original.id).exists():
            raise AlreadyReversed(field="transfer")

    return _write(
        _Write(
            kind=TransferKind.POSTED,
            key=f"reverse:{original.public_id}",
            fingerprint=_fingerprint("reverse", str(original.public_id)),
            code=original.code,
            description=description or _("Reversal of %(key)s") % {"key": original.idempotency_key},
            reference=original.reference,
            metadata=metadata,
            legs=legs,
            reverses_id=original.id,
            reverses_public_id=original.public_id,
            guard=guard,
        )
    )


# --- batches ------------------------------------------------------------------------------


def transfers_create_many(requests: Sequence[TransferRequest]) -> BatchResult:
    """Post many transfers in one database transaction with set-based SQL.

    All or nothing: if one transfer breaks a rule, nothing is written. Requests whose key
    already exists with the same content are skipped (a re-run of an import); the same
    key with other content raises IdempotencyConflict.
    """
    if not _pg():  # the embedded SQLite dev profile: one by one, same rules
        created = replayed = 0
        with transaction.atomic():
            for r in requests:
                result = transfer_create(
                    idempotency_key=r.idempotency_key,
                    code=r.code,
                    legs=r.legs,
                    description=r.description,
                    reference=r.reference,
                    metadata=r.metadata,
                )
                replayed += result.replayed
                created += not result.replayed
        return BatchResult(created=created, replayed=replayed)
    from ..batch import post_batch

    return post_batch(requests)


def holds_create_many(requests: Sequence[TransferRequest]) -> dict[str, UUID]:
    """Create many holds (pending transfers without a timeout) in one database transaction,
    by the set-based path of `transfers_create_many`: the same rules as `hold_create`, the
    same fingerprint (a single retry of a batched hold is recognised, and vice versa). All or
    nothing; keys that exist with the same content are skipped. Returns each request's hold
    public id by idempotency key (created or replayed)."""
    requests = list(requests)
    if not requests:
        return {}
    if not _pg():  # the embedded SQLite dev profile: one by one, same rules
        with transaction.atomic():
            return {
                r.idempotency_key: hold_create(
                    idempotency_key=r.idempotency_key,
                    code=r.code,
                    legs=r.legs,
                    description=r.description,
                    reference=r.reference,
                    metadata=r.metadata,
                ).public_id
                for r in requests
            }
    from ..batch import post_batch

    keys = [r.idempotency_key for r in requests]
    with transaction.atomic():
        post_batch(requests, pending=True)
        found = dict(
            Transfer.objects.filter(idempotency_key__in=keys, kind=TransferKind.PENDING).values_list(
                "idempotency_key", "public_id"
            )
        )
    return {key: found[key] for key in keys}
