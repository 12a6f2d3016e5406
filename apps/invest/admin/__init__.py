"""HokweInvest's admin (Hokwe staff), one file per part: partners and products, orders with
their repair actions, positions, plans, dividends and coupons, reconciliations. Money fields
are never edited here: money moves only through services/ (orders, distributions)."""

from . import holdings, orders, partners  # noqa: F401
