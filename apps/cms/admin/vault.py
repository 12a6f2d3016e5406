"""Cms vault: admin (owned by the vault part)."""
