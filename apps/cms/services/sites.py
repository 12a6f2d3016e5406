"""Cms sites: use cases (owned by the sites part)."""
