"""Provider registry: one class per provider; credentials per organization (ProviderConfig,
secrets encrypted) or from the environment (KKIAPAY_*, FEDAPAY_*).

To add a provider: write providers/<name>.py (a BaseProvider with its capabilities), add it
to REGISTRY, give it a clearing account (created on first use), and a fake server in
tests/payments/fakes/ speaking its documented API. docs/payments.md walks through it.
"""

from __future__ import annotations

from .base import BaseProvider, Capability, Credentials  # noqa: F401
from .fedapay import FedapayProvider
from .kkiapay import KkiapayProvider
from .mtn_momo import MtnMomoProvider
from .offline import BankTransferProvider, CashProvider, WalletProvider
from .sandbox import SandboxProvider

REGISTRY: dict[str, type[BaseProvider]] = {
    "sandbox": SandboxProvider,
    "kkiapay": KkiapayProvider,
    "fedapay": FedapayProvider,
    "mtn_momo": MtnMomoProvider,  # MTN MoMo Open API: push, payouts, lookup (providers/mtn_momo.py)
    "cash": CashProvider,
    "bank_transfer": BankTransferProvider,
    "wallet": WalletProvider,
}
OFFLINE = frozenset({"cash", "bank_transfer", "wallet"})


def known(name: str) -> bool:
    return name in REGISTRY


def get(name: str, credentials: Credentials | None = None) -> BaseProvider:
    return REGISTRY[name](credentials)
