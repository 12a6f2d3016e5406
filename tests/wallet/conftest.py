"""Fixtures of the wallet tests (each part appends its own)."""
