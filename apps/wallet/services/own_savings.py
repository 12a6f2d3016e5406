"""Money between a user's wallet and one of the user's own savings accounts under
`wallet.vault.` (another module's vault: lending's emergency fund). Such a move is neither
an inflow nor an outflow for kyc (the savings count in the user's e-money balance, like
HokweSplit's vaults): the wallet is checked usable, the totals are left alone."""

from __future__ import annotations

from uuid import UUID

from apps.core.errors import NotFound
from apps.ledger import api as ledger
from apps.ledger.contracts import OwnerType, TransferResult

from .wallets import USER_SAVINGS_PREFIX, move, wallet_for

__all__ = ["from_own_savings", "to_own_savings"]


def _own_savings(user_public_id: UUID, account: UUID, currency: str) -> None:
    info = ledger.account(account=UUID(str(account)))
    if (
        info.owner_type != OwnerType.USER
        or info.owner_id != user_public_id
        or not info.code.startswith(USER_SAVINGS_PREFIX)
        or info.currency != currency
    ):
        raise NotFound(field="account")


def to_own_savings(
    *, user, account: UUID, amount: int, currency: str, idempotency_key: str, code: str, reference: str = ""
) -> TransferResult:
    """Wallet -> the user's own savings account `account`. Idempotent; InsufficientFunds,
    WalletFrozen, WalletClosed."""
    wallet = wallet_for(user, currency)
    _own_savings(wallet.user.public_id, account, currency)
    return move(
        idempotency_key=idempotency_key,
        code=code,
        debit=wallet.account,
        credit=UUID(str(account)),
        amount=amount,
        currency=currency,
        out_of=wallet,
        record_usage=False,
        reference=reference,
    )


def from_own_savings(
    *, user, account: UUID, amount: int, currency: str, idempotency_key: str, code: str, reference: str = ""
) -> TransferResult:
    """The user's own savings account `account` -> wallet. Idempotent; InsufficientFunds
    (the savings' available balance, holds counted), WalletFrozen, WalletClosed."""
    wallet = wallet_for(user, currency)
    _own_savings(wallet.user.public_id, account, currency)
    return move(
        idempotency_key=idempotency_key,
        code=code,
        debit=UUID(str(account)),
        credit=wallet.account,
        amount=amount,
        currency=currency,
        into=wallet,
        record_usage=False,
        reference=reference,
    )
