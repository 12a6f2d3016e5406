"""PUBLIC: the only way other modules touch money.

    from apps.ledger import api as ledger
    from apps.ledger.contracts import Leg

    clearing = ledger.system_account(code="provider_clearing.kkiapay", currency="XOF")
    payable = ledger.organization_account(organization=org.public_id, code="owners_payable", currency="XOF")
    ledger.transfer(
        idempotency_key=f"payment:{intent.public_id}",
        code="rent_payment",
        legs=[Leg.debit(clearing.public_id, 100_000, "XOF"), Leg.credit(payable.public_id, 100_000, "XOF")],
        reference=f"payments.PaymentIntent:{intent.public_id}",
    )

Every function returns frozen dataclasses from contracts.py and raises DomainError
subclasses (re-exported below), which REST renders as problem details. Call `transfer`
inside your own `transaction.atomic()` when your change and the money must commit together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from uuid import UUID

from apps.identity import api as identity

from . import selectors, services
from .contracts import (
    AccountCode,
    AccountInfo,
    AccountKind,
    Balance,
    BalanceTotal,
    BatchResult,
    HoldState,
    Leg,
    OwnerType,
    Statement,
    TransferRequest,
    TransferResult,
)
from .errors import (
    AccountClosed,
    AccountNotEmpty,
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

__all__ = [
    "AccountClosed",
    "AccountNotEmpty",
    "AccountNotFound",
    "AlreadyReversed",
    "CurrencyMismatch",
    "HoldAlreadyResolved",
    "HoldExpired",
    "InsufficientFunds",
    "InvalidTransfer",
    "LimitExceeded",
    "NotReversible",
    "TransferNotFound",
    "UnbalancedTransfer",
    "account",
    "balance",
    "balance_totals",
    "close_account",
    "create_account",
    "hold",
    "hold_many",
    "hold_state",
    "organization_account",
    "organization_accounts",
    "post_hold",
    "reverse",
    "statement",
    "system_account",
    "transfer",
    "transfer_many",
    "user_accounts",
    "user_wallet",
    "void_hold",
]


# --- moving money -------------------------------------------------------------------------


def transfer(
    *,
    idempotency_key: str,
    code: str,
    legs: Sequence[Leg],
    description: str = "",
    reference: str = "",
    metadata: Mapping | None = None,
) -> TransferResult:
    """Post a balanced transfer (two or more legs, debits = credits per currency).

    `idempotency_key` is yours and unique: retrying with the same key and content returns
    the first result (`replayed=True`); the same key with other content raises
    IdempotencyConflict (409). `code` says what kind of movement it is ("rent_payment"),
    `reference` names the business object that caused it ("estate.RentDue:<uuid>").
    Raises InsufficientFunds when a limited account (a wallet, an owners' payable) would
    go past its limit, pending holds included.
    """
    return services.transfer_create(
        idempotency_key=idempotency_key,
        code=code,
        legs=legs,
        description=description,
        reference=reference,
        metadata=metadata,
    )


def hold(
    *,
    idempotency_key: str,
    code: str,
    legs: Sequence[Leg],
    timeout_seconds: int | None = None,
    description: str = "",
    reference: str = "",
    metadata: Mapping | None = None,
) -> TransferResult:
    """Reserve funds (a pending transfer). Balance checks count it at once; it is posted
    or voided once, and voided by the sweep after `timeout_seconds` (None: no timeout)."""
    return services.hold_create(
        idempotency_key=idempotency_key,
        code=code,
        legs=legs,
        timeout_seconds=timeout_seconds,
        description=description,
        reference=reference,
        metadata=metadata,
    )


def hold_many(requests: Iterable[TransferRequest]) -> dict[str, UUID]:
    """Reserve funds for many holds at once (pending transfers without a timeout; daily runs),
    by `transfer_many`'s set-based path in one database transaction: the same rules and the
    same fingerprint as `hold`. All or nothing; keys that exist with the same content are
    skipped. Returns the holds' public ids by idempotency key. Post or void them one by one."""
    return services.holds_create_many(requests)


def post_hold(
    *, hold: UUID, amount: int | None = None, description: str = "", metadata: Mapping | None = None
) -> TransferResult:
    """Post a hold fully, or for less (`amount`, two-leg holds). The rest is released.
    Idempotent on the hold; HoldAlreadyResolved if it was voided or posted differently."""
    return services.hold_post(hold=hold, amount=amount, description=description, metadata=metadata)


def void_hold(*, hold: UUID) -> TransferResult:
    """Release a hold. Idempotent; HoldAlreadyResolved if it was posted."""
    return services.hold_void(hold=hold)


def reverse(*, transfer: UUID, description: str = "", metadata: Mapping | None = None) -> TransferResult:
    """Correct a posted transfer with its mirror image, linked to it. At most once per
    transfer (a second call returns the first reversal); refused (InsufficientFunds) when
    the money has already left a limited account."""
    return services.transfer_reverse(transfer=transfer, description=description, metadata=metadata)


def transfer_many(requests: Iterable[TransferRequest]) -> BatchResult:
    """Post thousands of transfers in one database transaction with set-based SQL
    (month-end runs, imports). All or nothing; keys that exist with the same content are
    skipped, so a failed run can simply be run again. `requests` may be a generator."""
    return services.transfers_create_many(requests)


# --- reading ------------------------------------------------------------------------------


def balance(*, account: UUID, as_of: datetime | None = None) -> Balance:
    """The balance now (stored totals, O(1)), or the posted balance at `as_of`."""
    if as_of is not None:
        return selectors.balance_as_of_public(account, as_of)
    return selectors.balance_now(account)


def balance_totals(
    *, codes: Sequence[str] = (), prefixes: Sequence[str] = (), user: UUID | None = None
) -> list[BalanceTotal]:
    """The balances of every account whose code is one of `codes` or starts with one of
    `prefixes` (with `user`: only that user's accounts), summed per currency (one
    `BalanceTotal` per currency, sorted): one set-based statement over the stored totals,
    never the postings. E-money outstanding: `balance_totals(codes=["wallet"],
    prefixes=["wallet."])`; one user's e-money: the same with `user=`."""
    return selectors.balance_totals(codes=tuple(codes), prefixes=tuple(prefixes), user=user)


def statement(
    *,
    account: UUID,
    start: datetime | None = None,
    end: datetime | None = None,
    code: str | None = None,
    after_sequence: int | None = None,
    limit: int = 100,
) -> Statement:
    """Posted lines in [start, end) with the running balance; page with `next_after`."""
    row = selectors.account_row(account)
    return selectors.statement(
        row, start=start, end=end, code=code, after_sequence=after_sequence, limit=limit
    )


def account(*, account: UUID) -> AccountInfo:
    return selectors.account_info(selectors.account_by_public_id(account))


def hold_state(*, hold: UUID) -> HoldState:
    row = selectors.transfer_get(hold)
    if row is None:
        raise TransferNotFound(field="hold")
    return selectors.hold_state(row)


# --- accounts -----------------------------------------------------------------------------


def _organization_pk(public_id: UUID) -> int:
    key = _uuid(public_id, "organization")
    found = identity.organization_ids([key]).get(key)
    if found is None:
        raise AccountNotFound(field="organization")
    return found


def _user_pk(public_id: UUID) -> int:
    key = _uuid(public_id, "user")
    found = identity.user_ids([key]).get(key)
    if found is None:
        raise AccountNotFound(field="user")
    return found


def _uuid(value, field: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise AccountNotFound(field=field) from None


def system_account(*, code: str, currency: str) -> AccountInfo:
    """A system account of the chart ("fees_revenue", "provider_clearing.kkiapay", …)."""
    return selectors.account_info(services.system_account_get(code=code, currency=currency))


def organization_account(*, organization: UUID, code: str, currency: str | None = None) -> AccountInfo:
    """An organization's account of the chart (owners_payable, rent_receivable,
    rent_billed), created on first use. No currency given: the organization's own (the
    first of identity's Organization.currencies)."""
    organization_id = _organization_pk(organization)
    if not currency:
        own = identity.get_organization(id=organization_id).currencies
        if not own:
            raise InvalidTransfer(field="currency")
        currency = own[0]
    account = services.organization_account_get(organization_id=organization_id, code=code, currency=currency)
    return selectors.account_info(account, owner_public_id=_uuid(organization, "organization"))


def user_wallet(*, user: UUID, currency: str = "XOF") -> AccountInfo:
    """The user's wallet account (a liability that cannot go below zero), created on
    first use."""
    user_id = _user_pk(user)
    account = services.user_account_get(user_id=user_id, code=AccountCode.WALLET, currency=currency)
    return selectors.account_info(account, owner_public_id=_uuid(user, "user"))


def organization_accounts(*, organization: UUID) -> list[AccountInfo]:
    organization_id = _organization_pk(organization)
    qs = selectors.accounts_of_owner(organization_id=organization_id).select_related("owner_organization")
    return [selectors.account_info(a) for a in qs.order_by("code", "currency")]


def user_accounts(*, user: UUID) -> list[AccountInfo]:
    user_id = _user_pk(user)
    qs = selectors.accounts_of_owner(user_id=user_id).select_related("owner_user")
    return [selectors.account_info(a) for a in qs.order_by("code", "currency")]


def create_account(
    *,
    code: str,
    name: str,
    currency: str,
    kind: AccountKind,
    owner_type: OwnerType,
    owner: UUID | None = None,
    debits_must_not_exceed_credits: bool = False,
    credits_must_not_exceed_debits: bool = False,
) -> AccountInfo:
    """An account outside the chart (a tontine pot, a loan book), owned by the system, an
    organization or a user (`owner`: its public id). Idempotent on (owner, code, currency)."""
    owner_type = OwnerType(owner_type)
    user_id = _user_pk(owner) if owner_type is OwnerType.USER else None
    organization_id = _organization_pk(owner) if owner_type is OwnerType.ORGANIZATION else None
    account = services.account_create(
        code=code,
        name=name,
        currency=currency,
        kind=kind,
        owner_type=owner_type,
        user_id=user_id,
        organization_id=organization_id,
        debits_must_not_exceed_credits=debits_must_not_exceed_credits,
        credits_must_not_exceed_debits=credits_must_not_exceed_debits,
    )
    return selectors.account_info(selectors.account_by_public_id(account.public_id))


def close_account(*, account: UUID) -> AccountInfo:
    """Close an account with a zero balance and no hold: it refuses new postings."""
    return services.account_close(account=account)
