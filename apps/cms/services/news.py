"""Cms news: use cases (owned by the news part)."""
