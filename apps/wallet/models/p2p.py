"""P2P transfers' tables (see docs/wallet.md)."""

__all__: list[str] = []
