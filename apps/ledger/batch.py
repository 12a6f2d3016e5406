"""Set-based posting of many transfers in one PostgreSQL transaction (`transfer_many`).

The requests are consumed in chunks so memory stays flat however many there are. For each
chunk, inside the one transaction:

1. lock the chunk's accounts not locked yet, in id order (SELECT … FOR UPDATE);
2. write optimistically; only if a key already exists (the COPY fails on the unique
   index) is the chunk redone from its savepoint after looking its keys up in one query
   (a re-run skips what exists; other content under a known key is a conflict);
3. apply the rules transfer by transfer in memory, in request order (the accounts are
   locked, so the totals in memory are exact), giving each posting its per-account
   sequence and running balance;
4. take the transfers' ids from the sequence in one query, COPY the transfers and the
   postings straight into their tables, and move every touched account's totals with one
   UPDATE … FROM unnest(…).

All or nothing: any refused transfer rolls the whole batch back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice

import psycopg
from django.db import IntegrityError, connection, transaction

from apps.core.errors import IdempotencyConflict

from .contracts import BatchResult, Side, TransferKind, TransferRequest
from .errors import AccountClosed, AccountNotFound, CurrencyMismatch, InsufficientFunds, LimitExceeded
from .models import MAX_CODE
from .services.transfers import (
    MAX_KEY,
    _check_legs,
    _check_metadata,
    _check_text,
    _fingerprint,
    _legs_fingerprint,
    _lock_accounts,
)

CHUNK = 20_000
POSTED = TransferKind.POSTED.value
PENDING = TransferKind.PENDING.value

_TRANSFER_COLUMNS = (
    "id, idempotency_key, fingerprint, kind, code, description, reference, metadata, created_at, updated_at"
)
_POSTING_COLUMNS = (
    "transfer_id, account_id, sequence, is_debit, amount, currency, pending, code, balance_after, created_at"
)


def _chunks(requests: Iterable[TransferRequest]) -> Iterator[list[TransferRequest]]:
    iterator = iter(requests)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def post_batch(requests: Iterable[TransferRequest], *, pending: bool = False) -> BatchResult:
    """`pending=True`: the requests are holds (pending transfers without a timeout, as
    `hold_create` makes them: the same fingerprint, the pending totals moved, the postings
    flagged pending); they are posted or voided one by one later."""
    created = replayed = 0
    locked: dict = {}  # public id -> _Locked, totals kept current in memory
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        for chunk in _chunks(requests):
            prepared = [_prepare(r, pending=pending) for r in chunk]
            # Optimistic: fresh keys are the rule, so the chunk is written without looking
            # its keys up first; a key that exists makes the COPY fail, and the chunk is
            # done again from its savepoint, this time sorting out retries and conflicts.
            snapshot = {k: _totals(a) for k, a in locked.items()}
            try:
                with transaction.atomic():
                    c, r = _post_chunk(cursor, prepared, locked, check_keys=False, pending=pending)
            except (IntegrityError, psycopg.errors.UniqueViolation):
                _restore(locked, snapshot)  # the savepoint released the chunk's new locks too
                with transaction.atomic():
                    c, r = _post_chunk(cursor, prepared, locked, check_keys=True, pending=pending)
            created += c
            replayed += r
    return BatchResult(created=created, replayed=replayed)


def _totals(account) -> tuple:
    return (
        account.debits_posted,
        account.credits_posted,
        account.debits_pending,
        account.credits_pending,
        account.posting_count,
    )


def _restore(locked: dict, snapshot: dict) -> None:
    for key in list(locked):
        if key not in snapshot:
            del locked[key]
            continue
        account = locked[key]
        (
            account.debits_posted,
            account.credits_posted,
            account.debits_pending,
            account.credits_pending,
            account.posting_count,
        ) = snapshot[key]


def _prepare(request: TransferRequest, *, pending: bool = False) -> tuple:
    """The same checks and the same content fingerprint as `transfer_create`, so a single
    retry of a batched transfer is recognised (and vice versa)."""
    key = _check_text(request.idempotency_key, name="idempotency_key", max_length=MAX_KEY, required=True)
    code = _check_text(request.code, name="code", max_length=MAX_CODE, required=True)
    description = _check_text(request.description, name="description", max_length=500, required=False)
    reference = _check_text(request.reference, name="reference", max_length=200, required=False)
    legs = _check_legs(request.legs)
    metadata = _check_metadata(request.metadata) if request.metadata else {}
    if pending:  # a hold without a timeout, as hold_create fingerprints it
        fingerprint = _fingerprint(
            "pending", code, description, reference, metadata, _legs_fingerprint(legs), None
        )
    else:
        fingerprint = _fingerprint("posted", code, description, reference, metadata, _legs_fingerprint(legs))
    return key, fingerprint, code, description, reference, metadata, legs


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    """A value for COPY's text format."""
    return value.translate(_COPY_ESCAPES)


def _post_chunk(
    cursor, prepared: list[tuple], locked: dict, *, check_keys: bool, pending: bool = False
) -> tuple[int, int]:
    # 1. Lock the accounts met for the first time (id order), remember their totals.
    new_ids = {leg.account for p in prepared for leg in p[6]} - locked.keys()
    if new_ids:
        locked.update(_lock_accounts(cursor, new_ids))

    # 2. Idempotency: skip what exists with the same content, refuse other content.
    seen: dict = {}
    if check_keys:
        cursor.execute(
            "SELECT idempotency_key, fingerprint FROM ledger_transfer WHERE idempotency_key = ANY(%s)",
            [[p[0] for p in prepared]],
        )
        seen = dict(cursor.fetchall())
    todo = []
    replayed = 0
    for p in prepared:  # the same key twice in one chunk is sorted out here either way
        known = seen.get(p[0])
        if known is not None:
            if known != p[1]:
                raise IdempotencyConflict(field="idempotency_key")
            replayed += 1
            continue
        seen[p[0]] = p[1]
        todo.append(p)
    if not todo:
        return 0, replayed

    # 3. Rules, sequences and running balances, in request order.
    before = {
        a.id: (a.debits_posted, a.credits_posted, a.posting_count, a.debits_pending, a.credits_pending)
        for a in locked.values()
    }
    kind = PENDING if pending else POSTED
    pending_flag = "t" if pending else "f"
    cursor.execute(
        "SELECT clock_timestamp(), ARRAY(SELECT nextval(pg_get_serial_sequence('ledger_transfer', 'id')) "
        "FROM generate_series(1, %s))",
        [len(todo)],
    )
    now, transfer_ids = cursor.fetchone()
    stamp = now.isoformat()
    transfer_rows = []
    posting_rows = []
    for (key, fingerprint, code, description, reference, metadata, legs), transfer_id in zip(
        todo, transfer_ids, strict=True
    ):
        code_text = _text(code)
        touched = []
        for leg in legs:
            account = locked.get(leg.account)
            if account is None:
                raise AccountNotFound(field="legs.account")
            if account.currency != leg.currency:
                raise CurrencyMismatch(field="legs.currency")
            if account.closed:
                raise AccountClosed(field="legs.account")
            debit = leg.side == Side.DEBIT
            if pending:
                if debit:
                    account.debits_pending += leg.amount
                else:
                    account.credits_pending += leg.amount
            elif debit:
                account.debits_posted += leg.amount
            else:
                account.credits_posted += leg.amount
            account.posting_count += 1
            posting_rows.append(
                f"{transfer_id}\t{account.id}\t{account.posting_count}\t{'t' if debit else 'f'}\t{leg.amount}\t"
                f"{leg.currency}\t{pending_flag}\t{code_text}\t{account.debits_posted - account.credits_posted}\t"
                f"{stamp}\n"
            )
            touched.append(account)
        for account in touched:
            if account.dmnec and account.debits_posted + account.debits_pending > account.credits_posted:
                raise InsufficientFunds(field="legs.account")
            if account.cmned and account.credits_posted + account.credits_pending > account.debits_posted:
                raise LimitExceeded(field="legs.account")
        transfer_rows.append(
            f"{transfer_id}\t{_text(key)}\t{fingerprint}\t{kind}\t{code_text}\t"
            f"{_text(description)}\t{_text(reference)}\t{_text(json.dumps(metadata)) if metadata else '{}'}\t"
            f"{stamp}\t{stamp}\n"
        )

    # 4. Write: COPY the rows, then move the totals in one statement.
    with cursor.copy(f"COPY ledger_transfer ({_TRANSFER_COLUMNS}) FROM STDIN") as copy:
        copy.write("".join(transfer_rows))
    del transfer_rows
    with cursor.copy(f"COPY ledger_posting ({_POSTING_COLUMNS}) FROM STDIN") as copy:
        copy.write("".join(posting_rows))
    moved = [
        (
            a.id,
            a.debits_posted - b[0],
            a.credits_posted - b[1],
            a.posting_count - b[2],
            a.debits_pending - b[3],
            a.credits_pending - b[4],
        )
        for a in locked.values()
        if (b := before[a.id]) and a.posting_count != b[2]
    ]
    if pending:
        cursor.execute(
            "UPDATE ledger_account a SET debits_pending = a.debits_pending + v.dpe, "
            "credits_pending = a.credits_pending + v.cpe, posting_count = a.posting_count + v.n, "
            "updated_at = clock_timestamp() "
            "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[]) AS v(id, dpe, cpe, n) "
            "WHERE a.id = v.id",
            [[m[0] for m in moved], [m[4] for m in moved], [m[5] for m in moved], [m[3] for m in moved]],
        )
        return len(todo), replayed
    cursor.execute(
        "UPDATE ledger_account a SET debits_posted = a.debits_posted + v.dp, "
        "credits_posted = a.credits_posted + v.cp, posting_count = a.posting_count + v.n, "
        "updated_at = clock_timestamp() "
        "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[]) AS v(id, dp, cp, n) "
        "WHERE a.id = v.id",
        [[m[0] for m in moved], [m[1] for m in moved], [m[2] for m in moved], [m[3] for m in moved]],
    )
    return len(todo), replayed
