"""Admin of wallets: compliance staff freeze and unfreeze (with a reason, audited)."""
