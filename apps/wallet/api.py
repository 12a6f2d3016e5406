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
    "hold_wallet",
    "post_wallet_hold",
    "void_wallet_hold",
    "rent_reserve",
    "tontine_turns",
    "p2p_preview",
    "p2p_confirm",
    "p2p_step_up_needed",
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


# --- money reserved in the wallet until an outside answer (invest's orders), and the rent-first
# rule (what the wallet must keep for the rent) ---


def hold_wallet(
    *,
    user,
    amount: int,
    currency: str,
    to_account: _UUID,
    idempotency_key: str,
    code: str,
    kyc_operation: str = "wallet_payment",
    description: str = "",
    reference: str = "",
):
    """Reserve `amount` of the wallet toward ledger account `to_account` (a ledger hold):
    the wallet checked usable, kyc's outflow counted now, WalletInsufficientBalance above the
    available balance. Returns (hold TransferResult, the day the outflow was counted on).
    Call it once per key (the caller's row records the hold)."""
    from .services.holds import hold_wallet as reserve

    return reserve(
        user=user,
        amount=amount,
        currency=currency,
        to_account=to_account,
        idempotency_key=idempotency_key,
        code=code,
        kyc_operation=kyc_operation,
        description=description,
        reference=reference,
    )


def post_wallet_hold(*, user, hold: _UUID, amount: int, held: int, currency: str, day):
    """Post a wallet hold for `amount` ≤ `held`; the rest is released and given back to the
    day's outflow. Idempotent on the hold."""
    from .services.holds import post_wallet_hold as post

    return post(user=user, hold=hold, amount=amount, held=held, currency=currency, day=day)


def void_wallet_hold(*, user, hold: _UUID, held: int, currency: str, day) -> None:
    """Release a wallet hold whole and give its outflow back. Idempotent."""
    from .services.holds import void_wallet_hold as void

    void(user=user, hold=hold, held=held, currency=currency, day=day)


def rent_reserve(user_public_id: _UUID, currency: str = "XOF", *, today, until) -> int:
    """What the wallet must keep for the rent until `until`: HokweSplit instalments still to be
    taken from the wallet by then, plus the open rent dues falling due by then that no open
    HokweSplit plan saves toward (invest's rent-first rule). Two queries."""
    from .services.holds import rent_reserve as reserve

    return reserve(user_public_id, currency, today=today, until=until)


# --- Cotis'Hokwe as the member sees it (the assistant's « when is my turn ») ---


def tontine_turns(user) -> list:
    """The user's turn in each Cotis'Hokwe group where they hold an active seat: the round
    whose pot is theirs and its date (None while not drawn or bid yet), the pot, and their next
    contribution's date. `user`: a user row. Three queries."""
    from .services.tontine import turns_of

    return turns_of(user)


# --- P2P transfers by phone number, for a caller that prepares one for its user (the assistant) ---


def p2p_preview(*, actor, phone: str, amount: int, currency: str, note: str = ""):
    """P2pPreview of a transfer from `actor`'s wallet to `phone`: the receiver's masked name,
    the fee, the signed token to confirm with before `expires_at`, whether a step-up is
    needed and its binding (step_up_action, step_up_target, amount, currency). Every refusal
    known now (to oneself, the balance, a frozen wallet, kyc's limits). Writes nothing."""
    from .services.p2p import p2p_preview as preview

    return preview(actor=actor, phone=phone, amount=amount, currency=currency, note=note)


def p2p_confirm(*, actor, preview_token: str, idempotency_key: str, step_up_token: str | None = None):
    """Send a previewed transfer: P2pTransferView as the sender sees it. Above
    `p2p_step_up_needed` it consumes the step-up proof of the preview's binding itself
    (StepUpRequired otherwise). Idempotent on `idempotency_key`: a retry returns the first
    transfer, the money moves once."""
    from .services.p2p import p2p_confirm as confirm
    from .services.p2p import p2p_view

    row = confirm(
        actor=actor, preview_token=preview_token, idempotency_key=idempotency_key, step_up_token=step_up_token
    )
    return p2p_view(row, actor)


def p2p_step_up_needed(amount: int) -> bool:
    """Whether `p2p_confirm` itself requires the step-up for `amount` (above
    WALLET_P2P_STEP_UP_ABOVE): a caller asking its own step-up of the same binding must then
    leave the proof to the wallet, which consumes it."""
    from .services.p2p import step_up_needed

    return step_up_needed(amount)
