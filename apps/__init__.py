"""Hokwe business modules, one Django app each. See docs/architecture.md."""
