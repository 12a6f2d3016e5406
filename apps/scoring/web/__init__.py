"""Scoring's pages: the tenant's own score (score*.py), the manager's (screening*, …)."""
