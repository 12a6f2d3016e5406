"""The ledger's reads. Balances come from the stored totals (one row, O(1)); as-of balances
and statements read the postings' running balance through the (account, sequence) and
(account, created_at) indexes, never by summing an account's history.

`*_visible_to(actor)` are the only reads the transports use: a user sees their own
accounts, an organization member the organization's, finance staff the system accounts.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from uuid import UUID

from django.db import connection
from django.db.models import Q, QuerySet

from apps.identity import api as identity

from .contracts import (
    AccountInfo,
    AccountKind,
    Balance,
    BalanceTotal,
    HoldState,
    Leg,
    OwnerType,
    Side,
    Statement,
    StatementLine,
    TransferKind,
    TransferResult,
)
from .errors import AccountNotFound
from .models import Account, Posting, Transfer, one

FINANCE_ROLES = ("finance", "admin")
MAX_PAGE = 500


# --- conversions --------------------------------------------------------------------------


def account_info(account: Account, *, owner_public_id: UUID | None = None) -> AccountInfo:
    """`owner_public_id`: the owner's public id when the caller has it (no read of the owner)."""
    owner = owner_public_id
    if owner is None and account.owner_type == OwnerType.USER:
        owner = account.owner_user.public_id
    elif owner is None and account.owner_type == OwnerType.ORGANIZATION:
        owner = account.owner_organization.public_id
    return AccountInfo(
        public_id=account.public_id,
        code=account.code,
        name=account.name,
        currency=account.currency,
        kind=AccountKind(account.kind),
        owner_type=OwnerType(account.owner_type),
        owner_id=owner,
        debits_must_not_exceed_credits=account.debits_must_not_exceed_credits,
        credits_must_not_exceed_debits=account.credits_must_not_exceed_debits,
        closed=account.closed_at is not None,
    )


def balance_of(account: Account) -> Balance:
    """The balance now, from the stored totals."""
    return _balance(
        account.public_id,
        account.kind,
        account.currency,
        account.debits_posted,
        account.credits_posted,
        account.debits_pending,
        account.credits_pending,
    )


def _balance(public_id, kind, currency, dp, cp, dpe, cpe) -> Balance:
    debit_normal = AccountKind(kind).debit_normal
    posted = dp - cp if debit_normal else cp - dp
    # What holds reserve on the side that lowers the balance.
    outgoing = cpe if debit_normal else dpe
    return Balance(
        account=public_id,
        currency=currency,
        debits_posted=dp,
        credits_posted=cp,
        debits_pending=dpe,
        credits_pending=cpe,
        posted=posted,
        available=posted - outgoing,
    )


_BALANCE_SQL = (
    "SELECT kind, currency, debits_posted, credits_posted, debits_pending, credits_pending "
    "FROM ledger_account WHERE public_id = %s"
)


def balance_now(public_id: UUID) -> Balance:
    """The hot read: one primary-key-like probe of the account row, no ORM model."""
    with connection.cursor() as cursor:
        cursor.execute(_BALANCE_SQL, [public_id if connection.vendor == "postgresql" else public_id.hex])
        row = cursor.fetchone()
    if row is None:
        raise AccountNotFound(field="account")
    return _balance(public_id, *row)


def transfer_result(transfer: Transfer, *, replayed: bool = False) -> TransferResult:
    postings = list(transfer.postings.select_related("account").order_by("id"))
    hold = reverses = None
    if transfer.hold_id:
        hold = one(Transfer.objects.filter(id=transfer.hold_id).values_list("public_id", flat=True))
    if transfer.reverses_id:
        reverses = one(Transfer.objects.filter(id=transfer.reverses_id).values_list("public_id", flat=True))
    return TransferResult(
        public_id=transfer.public_id,
        idempotency_key=transfer.idempotency_key,
        kind=TransferKind(transfer.kind),
        code=transfer.code,
        description=transfer.description,
        reference=transfer.reference,
        metadata=transfer.metadata,
        legs=tuple(
            Leg(
                account=p.account.public_id,
                side=Side.DEBIT if p.is_debit else Side.CREDIT,
                amount=p.amount,
                currency=p.currency,
            )
            for p in postings
        ),
        created_at=transfer.created_at,
        hold=hold,
        reverses=reverses,
        expires_at=transfer.expires_at,
        replayed=replayed,
    )


# --- lookups ------------------------------------------------------------------------------


def account_by_public_id(public_id: UUID) -> Account:
    account = one(
        Account.objects.select_related("owner_user", "owner_organization").filter(public_id=public_id)
    )
    if account is None:
        raise AccountNotFound(field="account")
    return account


def account_row(public_id: UUID) -> Account:
    """The account without its owner (for balances and statements)."""
    account = one(Account.objects.filter(public_id=public_id))
    if account is None:
        raise AccountNotFound(field="account")
    return account


def transfer_get(public_id: UUID) -> Transfer | None:
    return one(Transfer.objects.filter(public_id=public_id))


def hold_state(hold: Transfer) -> HoldState:
    resolution = one(Transfer.objects.filter(hold_id=hold.id).values_list("kind", flat=True))
    if resolution is None:
        return HoldState.PENDING
    return HoldState.POSTED if resolution == TransferKind.POST_PENDING else HoldState.VOIDED


def accounts_of_owner(*, user_id: int | None = None, organization_id: int | None = None) -> QuerySet[Account]:
    if user_id is not None:
        return Account.objects.filter(owner_type=OwnerType.USER, owner_user_id=user_id)
    return Account.objects.filter(owner_type=OwnerType.ORGANIZATION, owner_organization_id=organization_id)


# --- totals over many accounts ------------------------------------------------------------


def _like_prefix(prefix: str) -> str:
    """A LIKE pattern matching codes that start with `prefix` (its % and _ taken literally)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def balance_totals(
    *, codes: tuple[str, ...] = (), prefixes: tuple[str, ...] = (), user: UUID | None = None
) -> list[BalanceTotal]:
    """The balances of every account whose code is one of `codes` or starts with one of
    `prefixes` (and, with `user`, owned by that user: their public id), summed per
    currency: one set-based statement over the stored totals (no posting is read, whatever
    the number of accounts). Signed by each account's normal side; closed accounts count
    too (their balance is zero)."""
    if not codes and not prefixes:
        return []
    where, params = [], []
    if codes:
        where.append("code IN (" + ", ".join(["%s"] * len(codes)) + ")")
        params += list(codes)
    for prefix in prefixes:
        where.append("code LIKE %s ESCAPE '\\'")
        params.append(_like_prefix(prefix))
    debit_normal = ", ".join(f"'{k.value}'" for k in AccountKind if k.debit_normal)
    # Only placeholders and the AccountKind enum's own values are interpolated.
    sql = (
        "SELECT currency, COUNT(*), "  # noqa: S608
        f"COALESCE(SUM(CASE WHEN kind IN ({debit_normal}) THEN debits_posted - credits_posted "
        "ELSE credits_posted - debits_posted END), 0), "
        f"COALESCE(SUM(CASE WHEN kind IN ({debit_normal}) THEN credits_pending "
        "ELSE debits_pending END), 0) "
        "FROM ledger_account WHERE (" + " OR ".join(where) + ")"
    )
    if user is not None:
        # the owner by its public id in the same statement (the user table's name from the
        # foreign key, not written here)
        users = Account._meta.get_field("owner_user").related_model._meta.db_table
        sql += f" AND owner_user_id = (SELECT id FROM {users} WHERE public_id = %s)"  # noqa: S608
        params.append(user)
    sql += " GROUP BY currency ORDER BY currency"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        BalanceTotal(
            currency=currency,
            accounts=int(count),
            posted=int(posted),
            available=int(posted) - int(pending_out),
            pending_out=int(pending_out),
        )
        for currency, count, posted, pending_out in rows
    ]


# --- balances over time -------------------------------------------------------------------


def balance_as_of(account: Account, as_of: datetime) -> Balance:
    """Posted balance at `as_of`: the running balance of the last posting at or before it
    (one index probe on (account, created_at)). Pending amounts are not historised."""
    last = (
        Posting.objects.filter(account_id=account.id, created_at__lte=as_of)
        .order_by("-created_at", "-sequence")
        .values_list("balance_after", flat=True)
        .first()
    )
    return _as_of(account.public_id, account.debit_normal, account.currency, last or 0, as_of)


_AS_OF_SQL = (
    "SELECT a.kind, a.currency, (SELECT p.balance_after FROM ledger_posting p "
    "WHERE p.account_id = a.id AND p.created_at <= %s ORDER BY p.created_at DESC, p.sequence DESC LIMIT 1) "
    "FROM ledger_account a WHERE a.public_id = %s"
)


def balance_as_of_public(public_id: UUID, as_of: datetime) -> Balance:
    """`balance_as_of` in one round trip (the API's path)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _AS_OF_SQL,
            [
                connection.ops.adapt_datetimefield_value(as_of),
                public_id if connection.vendor == "postgresql" else public_id.hex,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        raise AccountNotFound(field="account")
    kind, currency, raw = row
    return _as_of(public_id, AccountKind(kind).debit_normal, currency, raw or 0, as_of)


def _as_of(public_id, debit_normal: bool, currency: str, raw: int, as_of: datetime) -> Balance:
    debits, credits = (raw, 0) if raw >= 0 else (0, -raw)
    posted = raw if debit_normal else -raw
    return Balance(
        account=public_id,
        currency=currency,
        debits_posted=debits,
        credits_posted=credits,
        debits_pending=0,
        credits_pending=0,
        posted=posted,
        available=posted,
        as_of=as_of,
    )


def _sequence_bound(account: Account, *, at: datetime, first: bool) -> int | None:
    """First posting at/after `at` (first=True) or last posting before `at`: postings of an
    account are written under its row lock, so time and sequence grow together."""
    qs = Posting.objects.filter(account_id=account.id)
    if first:
        qs = qs.filter(created_at__gte=at).order_by("created_at", "sequence")
    else:
        qs = qs.filter(created_at__lt=at).order_by("-created_at", "-sequence")
    return qs.values_list("sequence", flat=True).first()


def statement(
    account: Account,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    code: str | None = None,
    after_sequence: int | None = None,
    limit: int = 100,
) -> Statement:
    """Posted lines of `account` in [start, end), oldest first, each with the account's
    balance after it; keyset-paginated on the account's posting sequence."""
    limit = max(1, min(limit, MAX_PAGE))
    lines = list(
        statement_postings(account, start=start, end=end, code=code, after_sequence=after_sequence)[
            : limit + 1
        ]
    )
    more = len(lines) > limit
    lines = lines[:limit]
    sign = 1 if account.debit_normal else -1
    if lines:
        first = lines[0]
        effect = first.amount if first.is_debit else -first.amount
        opening = sign * (first.balance_after - effect)
    elif start is not None:
        opening = balance_as_of(account, start).posted
    else:
        opening = account.signed(account.debits_posted, account.credits_posted)
    return Statement(
        account=account.public_id,
        currency=account.currency,
        opening_balance=opening,
        lines=tuple(statement_line(p, sign=sign) for p in lines),
        next_after=lines[-1].sequence if more else None,
    )


def statement_postings(
    account: Account,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    code: str | None = None,
    after_sequence: int | None = None,
) -> QuerySet:
    qs = Posting.objects.filter(account_id=account.id, pending=False)
    low = after_sequence + 1 if after_sequence is not None else None
    if start is not None:
        first = _sequence_bound(account, at=start, first=True)
        if first is None:
            return qs.none()
        low = max(low or 0, first)
    if low is not None:
        qs = qs.filter(sequence__gte=low)
    if end is not None:
        last = _sequence_bound(account, at=end, first=False)
        if last is None:
            return qs.none()
        qs = qs.filter(sequence__lte=last)
    if code:
        qs = qs.filter(code=code)
    # Plain rows, no model instances: a page is read on every statement request.
    return qs.order_by("sequence").values_list(*_LINE_FIELDS, named=True)


_LINE_FIELDS = (
    "sequence",
    "is_debit",
    "amount",
    "code",
    "balance_after",
    "created_at",
    "transfer__public_id",
    "transfer__description",
    "transfer__reference",
)


def statement_line(posting, *, sign: int) -> StatementLine:
    return StatementLine(
        sequence=posting.sequence,
        transfer=posting.transfer__public_id,
        code=posting.code,
        description=posting.transfer__description,
        reference=posting.transfer__reference,
        side=Side.DEBIT if posting.is_debit else Side.CREDIT,
        amount=posting.amount,
        balance_after=sign * posting.balance_after,
        created_at=posting.created_at,
    )


def statement_iter(account: Account, **filters) -> Iterator[StatementLine]:
    """Every line, fetched in keyset pages (for CSV exports of any size)."""
    sign = 1 if account.debit_normal else -1
    after = None
    while True:
        page = list(statement_postings(account, after_sequence=after, **filters)[:2000])
        for posting in page:
            yield statement_line(posting, sign=sign)
        if len(page) < 2000:
            return
        after = page[-1].sequence


# --- scoping ------------------------------------------------------------------------------


def _visibility(actor) -> Q | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    organizations = identity.organization_ids_of(actor)
    visible = Q(owner_type=OwnerType.USER, owner_user_id=actor.pk) | Q(
        owner_type=OwnerType.ORGANIZATION, owner_organization_id__in=organizations
    )
    if getattr(actor, "staff_role", "") in FINANCE_ROLES:
        visible |= Q(owner_type=OwnerType.SYSTEM)
    return visible


def accounts_visible_to(actor) -> QuerySet[Account]:
    visible = _visibility(actor)
    if visible is None:
        return Account.objects.none()
    return Account.objects.filter(visible).select_related("owner_user", "owner_organization")


def account_visible_to(actor, public_id: UUID | str) -> Account:
    """The account, or AccountNotFound (404) when it does not exist *or* is not the
    actor's: the two are indistinguishable from outside."""
    try:
        public_id = UUID(str(public_id))
    except ValueError:
        raise AccountNotFound(field="account") from None
    account = one(accounts_visible_to(actor).filter(public_id=public_id))
    if account is None:
        raise AccountNotFound(field="account")
    return account
