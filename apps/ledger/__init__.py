"""The double-entry ledger: accounts, balanced transfers, holds, balances (docs/ledger.md)."""
