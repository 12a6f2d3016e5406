"""Billing's admin (staff), one file per part."""

from . import catalog, invoices  # noqa: F401
