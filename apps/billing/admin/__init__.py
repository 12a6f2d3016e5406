"""Billing's admin (staff), one file per part."""

from . import catalog, invoices, subscriptions  # noqa: F401
