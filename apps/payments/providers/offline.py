"""Methods without an outside system: money recorded by a person, or moved on our ledger.

- cash: handed to an agent (collector) who records it; posts to the agent's cash account;
- bank_transfer: received on Hokwe's bank account, recorded by finance staff;
- wallet: debits the payer's Hokwe wallet account through the ledger, at once.

They collect nothing themselves (services record the attempt and post to the ledger);
refunds are ledger postings (and the agent or staff hands the money back).
"""

from .base import BaseProvider, Capability


class CashProvider(BaseProvider):
    name = "cash"
    label = "Espèces"
    online = False
    capabilities = frozenset({Capability.REFUND})
    methods = frozenset({"cash"})


class BankTransferProvider(BaseProvider):
    name = "bank_transfer"
    label = "Virement"
    online = False
    capabilities = frozenset({Capability.REFUND})
    methods = frozenset({"bank_transfer"})


class WalletProvider(BaseProvider):
    name = "wallet"
    label = "Portefeuille Hokwe"
    online = False
    capabilities = frozenset({Capability.REFUND})
    methods = frozenset({"wallet"})
