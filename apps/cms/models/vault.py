"""Cms vault: tables (owned by the vault part)."""

__all__: list[str] = []
