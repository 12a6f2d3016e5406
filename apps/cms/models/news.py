"""Cms news: tables (owned by the news part)."""

__all__: list[str] = []
