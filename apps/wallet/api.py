"""PUBLIC: what other modules may call in the wallet (scoring and lending build on it).

from apps.wallet import api as wallet
"""

from __future__ import annotations

__all__: list[str] = [
    "WalletClosed",
    "WalletFrozen",
    "credit_wallet",
    "debit_wallet",
    "wallet_info",
    "wallet_usage",
    "wallet_regularity",
    "to_own_savings",
    "from_own_savings",
]


# --- wallet core: a user's wallet as a value, and money into / out of it (lending) ---
from uuid import UUID as _UUID

from apps.ledger.contracts import TransferResult as _TransferResult

from .contracts import WalletInfo as _WalletInfo
from .errors import WalletClosed, WalletFrozen


def wallet_info(user, currency: str = "XOF") -> _WalletInfo:
    """The user's wallet in `currency` (created on first use): its ledger account, status,
    balance, available balance, dormancy. `user`: a user, a UserInfo or a public id."""
    from .services import wallets

    return wallets.wallet_info(wallets.wallet_for(user, currency))


def wallet_usage(user, currency: str = "XOF"):
    """kyc's Usage of the user (balance with own vaults, inflow this month, outflow today)."""
    from .services import wallets

    return wallets.usage(user, currency)


def credit_wallet(
    *,
    user,
    amount: int,
    currency: str,
    from_account: _UUID,
    idempotency_key: str,
    code: str,
    kyc_operation: str | None = "transfer_in",
    description: str = "",
    reference: str = "",
) -> _TransferResult:
    """Money into the user's wallet from ledger account `from_account` (a loan disbursement):
    one `move` — the wallet checked usable, kyc's inflow limits (unless kyc_operation=None),
    the usage totals counted. Idempotent on `idempotency_key`."""
    from .services import wallets

    wallet = wallets.wallet_for(user, currency)
    return wallets.move(
        idempotency_key=idempotency_key,
        code=code,
        debit=from_account,
        credit=wallet.account,
        amount=amount,
        currency=currency,
        into=wallet,
        kyc_operation=kyc_operation,
        description=description,
        reference=reference,
    )


def debit_wallet(
    *,
    user,
    amount: int,
    currency: str,
    to_account: _UUID,
    idempotency_key: str,
    code: str,
    kyc_operation: str | None = "wallet_payment",
    description: str = "",
    reference: str = "",
) -> _TransferResult:
    """Money out of the user's wallet to ledger account `to_account` (a loan repayment): one
    `move` — usable, kyc's outflow limit, never below zero (InsufficientFunds). Idempotent."""
    from .services import wallets

    wallet = wallets.wallet_for(user, currency)
    return wallets.move(
        idempotency_key=idempotency_key,
        code=code,
        debit=wallet.account,
        credit=to_account,
        amount=amount,
        currency=currency,
        out_of=wallet,
        kyc_operation=kyc_operation,
        description=description,
        reference=reference,
    )


# --- scoring (the rent score's features): wallet regularity, set-based ---


def wallet_regularity(user_ids, *, today):
    """{user public id: WalletRegularity}: Cotis'Hokwe contributions on time / late /
    defaulted, HokweSplit's best streak, months of wallet use in the last 6. One query per
    source, whatever the number of users."""
    from .services.scoring_reads import wallet_regularity as regularity

    return regularity(user_ids, today=today)


# --- a user's own savings accounts of other modules (lending's emergency fund) ---


def to_own_savings(
    *, user, account, amount: int, currency: str, idempotency_key: str, code: str, reference: str = ""
):
    """Wallet -> the user's own savings account `account` (a ledger account owned by the user,
    code under `wallet.vault.`): neither inflow nor outflow for kyc. Idempotent."""
    from .services.own_savings import to_own_savings as move_in

    return move_in(
        user=user,
        account=account,
        amount=amount,
        currency=currency,
        idempotency_key=idempotency_key,
        code=code,
        reference=reference,
    )


def from_own_savings(
    *, user, account, amount: int, currency: str, idempotency_key: str, code: str, reference: str = ""
):
    """The user's own savings account `account` -> wallet (holds on it counted). Idempotent."""
    from .services.own_savings import from_own_savings as move_out

    return move_out(
        user=user,
        account=account,
        amount=amount,
        currency=currency,
        idempotency_key=idempotency_key,
        code=code,
        reference=reference,
    )
