"""Cms's Django admin, one file per part (staff: support tickets, the vault's access log)."""

from . import help, news, sites, vault  # noqa: F401
