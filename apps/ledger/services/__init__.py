"""The ledger's writes, by area: `transfers` (transfers, holds, posts, voids, reversals,
batches; the locking and checking described there) and `accounts` (chart accounts created
on first use, accounts outside the chart, closing). Other modules call api.py, never this."""

from .accounts import (
    account_close,
    account_create,
    organization_account_get,
    system_account_get,
    user_account_get,
)
from .transfers import (
    MAX_AMOUNT,
    MAX_KEY,
    hold_create,
    hold_post,
    hold_void,
    holds_create_many,
    holds_expire,
    transfer_create,
    transfer_reverse,
    transfers_create_many,
)

__all__ = [
    "MAX_AMOUNT",
    "MAX_KEY",
    "account_close",
    "account_create",
    "hold_create",
    "hold_post",
    "hold_void",
    "holds_create_many",
    "holds_expire",
    "organization_account_get",
    "system_account_get",
    "transfer_create",
    "transfer_reverse",
    "transfers_create_many",
    "user_account_get",
]
