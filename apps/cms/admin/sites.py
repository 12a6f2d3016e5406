"""Cms sites: admin (owned by the sites part)."""
