"""Cms vault: use cases (owned by the vault part)."""
