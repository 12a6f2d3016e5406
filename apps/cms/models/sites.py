"""Cms sites: tables (owned by the sites part)."""

__all__: list[str] = []
