"""Fixtures of the wallet tests (each part appends its own)."""

# --- wallet core (W2) ----------------------------------------------------------------------------
import pytest


@pytest.fixture(autouse=True)
def _wallet_usage_source():
    """The wallet is kyc's usage source (apps.py ready()); a kyc test that swaps in its own
    source and then sets None must not leave the wallet's tests without it."""
    from apps.kyc import api as kyc
    from apps.wallet.services.wallets import WalletUsageSource

    kyc.set_usage_source(WalletUsageSource())
    yield


@pytest.fixture
def clearing(db):
    """The sandbox provider's clearing account (XOF): where tests' money comes from."""
    from apps.ledger import api as ledger

    return ledger.system_account(code="provider_clearing.sandbox", currency="XOF").public_id


@pytest.fixture
def fund(clearing):
    """fund(wallet, amount): money into a wallet as a top-up would bring it (no kyc check)."""
    import uuid

    from apps.wallet.services import wallets

    def _fund(wallet, amount, *, kyc_operation=None):
        return wallets.move(
            idempotency_key=f"test:fund:{uuid.uuid4()}",
            code="wallet.topup",
            debit=clearing,
            credit=wallet.account,
            amount=amount,
            currency=wallet.currency,
            into=wallet,
            kyc_operation=kyc_operation,
        )

    return _fund
