"""The MTN MoMo client moved to providers/mtn_momo.py (collection, disbursement, account
holders, callbacks). This name stays for the code that imports it (services/payouts.py's
account-holder lookup, its tests)."""

from __future__ import annotations

from .mtn_momo import SANDBOX_URL, MtnCredentials, MtnMomoProvider, clear_tokens, configured

__all__ = ["SANDBOX_URL", "MtnCredentials", "MtnMomoProvider", "clear_tokens", "configured"]
