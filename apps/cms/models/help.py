"""Cms help: tables (owned by the help part)."""

__all__: list[str] = []
