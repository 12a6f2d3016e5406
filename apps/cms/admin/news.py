"""Cms news: admin (owned by the news part)."""
