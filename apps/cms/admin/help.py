"""Cms help: admin (owned by the help part)."""
