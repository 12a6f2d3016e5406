"""Billing's admin (staff), one file per part."""

from . import invoices  # noqa: F401
