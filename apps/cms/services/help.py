"""Cms help: use cases (owned by the help part)."""
